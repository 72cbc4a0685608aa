//! The macros a plugin file exports its counters and descriptors with (exported at the crate
//! root, as `#[macro_export]` macros are).

/// `ladspa_testplugins_counters` function that returns its address.
#[macro_export]
macro_rules! export_counters {
    ($name:ident) => {
        static $name: $crate::Counters = $crate::Counters::new();

        /// The accounting of this plugin file (see `ladspa_testplugins::counters`).
        #[unsafe(no_mangle)]
        pub extern "C" fn ladspa_testplugins_counters() -> *const $crate::Counters {
            &$name
        }
    };
}

/// Exports `ladspa_descriptor`, returning the given `&'static StaticDescriptor`s in order and
/// then NULL.
#[macro_export]
macro_rules! export_descriptors {
    ($($descriptor:expr),* $(,)?) => {
        /// The LADSPA entry point: the plugin types of this file by index, then NULL.
        #[unsafe(no_mangle)]
        pub extern "C" fn ladspa_descriptor(
            index: ::core::ffi::c_ulong,
        ) -> *const $crate::ladspa_host_sys::LADSPA_Descriptor {
            static ALL: &[&$crate::kit::StaticDescriptor] = &[$($descriptor),*];
            match usize::try_from(index).ok().and_then(|index| ALL.get(index)) {
                Some(descriptor) => descriptor.as_ptr(),
                None => ::core::ptr::null(),
            }
        }
    };
}
