//! Applying a preset to an instance: every value checked against the descriptor first, then
//! set through [`Handle::set_control`].

use super::error::PresetError;
use super::model::Preset;
use crate::descriptor::Descriptor;
use crate::handle::{Handle, State};

impl Preset {
    /// Checks that the preset is for this plugin type and that every port it sets is one of its
    /// control inputs: what [`Handle::apply_preset`] checks before it sets anything.
    pub fn check(&self, descriptor: &Descriptor) -> Result<(), PresetError> {
        if self.plugin != descriptor.unique_id() {
            return Err(PresetError::OtherPlugin {
                descriptor: descriptor.clone(),
                preset: self.to_string(),
                preset_plugin: self.plugin,
            });
        }
        for value in &self.values {
            let Some(port) = descriptor.port(value.port) else {
                return Err(PresetError::NoSuchPort {
                    descriptor: descriptor.clone(),
                    preset: self.to_string(),
                    port: value.port,
                    value: value.value,
                });
            };
            if !(port.is_control() && port.is_input()) {
                return Err(PresetError::NotControlInput {
                    descriptor: descriptor.clone(),
                    preset: self.to_string(),
                    port: value.port,
                    port_name: port.name().to_string(),
                    value: value.value,
                });
            }
        }
        Ok(())
    }
}

impl<S: State> Handle<S> {
    /// Sets the control inputs that a preset gives values for (feature `rdf`); the others keep
    /// their values. Nothing is set unless every value can be: the preset must be for this
    /// plugin type and name only control inputs it has ([`Preset::check`]).
    ///
    /// ```
    /// # let path = ladspa_testplugins::reference_plugin("tp_amp");
    /// use ladspa_host::rdf::{Database, PresetError};
    ///
    /// let rdf = br#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    ///                        xmlns:ladspa="http://ladspa.org/ontology#"
    ///                        xmlns:dc="http://purl.org/dc/elements/1.1/">
    ///   <ladspa:AmplifierPlugin rdf:about="http://ladspa.org/ontology#7001">
    ///     <ladspa:hasSetting>
    ///       <ladspa:Preset dc:title="Quiet">
    ///         <ladspa:hasPortValue>
    ///           <ladspa:PortValue rdf:value="0.25">
    ///             <ladspa:forPort rdf:resource="http://ladspa.org/ontology#7001.0"/>
    ///           </ladspa:PortValue>
    ///         </ladspa:hasPortValue>
    ///       </ladspa:Preset>
    ///     </ladspa:hasSetting>
    ///     <ladspa:hasSetting>
    ///       <ladspa:Preset dc:title="Broken">
    ///         <ladspa:hasPortValue>
    ///           <ladspa:PortValue rdf:value="1">
    ///             <ladspa:forPort rdf:resource="http://ladspa.org/ontology#7001.1"/>
    ///           </ladspa:PortValue>
    ///         </ladspa:hasPortValue>
    ///       </ladspa:Preset>
    ///     </ladspa:hasSetting>
    ///   </ladspa:AmplifierPlugin>
    /// </rdf:RDF>"#;
    /// let database = Database::from_documents([("amp.rdf", &rdf[..])]);
    ///
    /// // SAFETY: the test plugins are trusted.
    /// let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
    /// let amp = plugin.find_label("tp_amp_mono")?;
    /// let presets = amp.rdf(&database).unwrap();
    /// let mut handle = amp.instantiate(48_000)?;
    /// handle.apply_preset(presets.preset("Quiet").unwrap())?;
    /// assert_eq!(handle.control("Gain")?, 0.25);
    ///
    /// // Port 1 is the audio input.
    /// let error = handle.apply_preset(presets.preset("Broken").unwrap()).unwrap_err();
    /// assert!(matches!(error, PresetError::NotControlInput { port: 1, .. }));
    /// # Ok::<(), ladspa_host::Error>(())
    /// ```
    pub fn apply_preset(&mut self, preset: &Preset) -> Result<(), PresetError> {
        preset.check(self.descriptor())?;
        for value in preset.values() {
            self.set_control(value.port, value.value)?;
        }
        Ok(())
    }
}
