//! What the lethal fixtures do to the process that loads them ([`LETHAL_PLUGINS`]), and the
//! macro that makes each of them a one-line plugin file.
//!
//! These files are for scans in worker processes: loading one in a test's own process ends or
//! freezes it, which is exactly what they exist to prove survivable.
//!
//! [`LETHAL_PLUGINS`]: crate::LETHAL_PLUGINS

/// How a lethal fixture strikes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strike {
    /// `abort()`: SIGABRT.
    Abort,
    /// A write through a NULL pointer: SIGSEGV.
    Segfault,
    /// `exit(0)`: the process ends "successfully", in the middle of the host's work.
    Exit,
    /// Sleeps this many seconds (a hang, as far as a host is concerned).
    Sleep(u64),
}

/// Carries out `strike`.
pub fn strike(strike: Strike) {
    match strike {
        Strike::Abort => std::process::abort(),
        // SAFETY: none; this is the fixture's whole point. A volatile write to address 0 is a
        // SIGSEGV on every system this workspace runs on, and cannot be optimised away.
        Strike::Segfault => unsafe { core::ptr::null_mut::<u32>().write_volatile(1) },
        Strike::Exit => std::process::exit(0),
        Strike::Sleep(seconds) => std::thread::sleep(std::time::Duration::from_secs(seconds)),
    }
}

/// Makes a lethal plugin file: one valid mono amplifier (`$label`, unique ID `$id`), and
/// `$strike` carried out either by a static constructor (`constructor`, when the file is
/// loaded) or by `ladspa_descriptor` (`descriptor`, on its first call).
#[macro_export]
macro_rules! lethal_plugin {
    (constructor, $strike:expr, $id:expr, $label:expr) => {
        $crate::lethal_plugin!(@amp $id, $label);
        $crate::export_descriptors!(&AMP);

        extern "C" fn lethal_constructor() {
            $crate::lethal::strike($strike);
        }
        /// Run by the dynamic loader when the file is loaded.
        #[used]
        #[unsafe(link_section = ".init_array")]
        static LETHAL_CONSTRUCTOR: extern "C" fn() = lethal_constructor;
    };
    (descriptor, $strike:expr, $id:expr, $label:expr) => {
        $crate::lethal_plugin!(@amp $id, $label);

        /// The LADSPA entry point, which strikes before answering.
        #[unsafe(no_mangle)]
        pub extern "C" fn ladspa_descriptor(
            index: ::core::ffi::c_ulong,
        ) -> *const $crate::ladspa_host_sys::LADSPA_Descriptor {
            $crate::lethal::strike($strike);
            if index == 0 { AMP.as_ptr() } else { ::core::ptr::null() }
        }
    };
    (@amp $id:expr, $label:expr) => {
        $crate::export_counters!(COUNTERS);
        static PORTS: $crate::kit::PortTable<3> =
            $crate::kit::PortTable::new($crate::kit::AMP_MONO_PORTS);
        static AMP: $crate::kit::StaticDescriptor =
            $crate::kit::StaticDescriptor::new($crate::kit::descriptor::<$crate::kit::Amp<1>, 3>(
                $crate::kit::Info {
                    unique_id: $id,
                    label: $label,
                    name: c"Lethal Test Fixture",
                    properties: 0,
                },
                &PORTS,
                &COUNTERS,
            ));
    };
}
