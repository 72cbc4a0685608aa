//! The plugin's functions, as validation found them, and the part of them that runs call.

use std::ffi::c_ulong;

use ladspa_host_sys as sys;

/// The plugin's functions, copied out of the descriptor once validation has found the required
/// ones non-NULL, so that the run path calls them without checking again.
#[derive(Clone, Copy)]
pub(crate) struct Functions {
    pub(crate) instantiate:
        unsafe extern "C" fn(*const sys::LADSPA_Descriptor, c_ulong) -> sys::LADSPA_Handle,
    pub(crate) connect_port:
        unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong, *mut sys::LADSPA_Data),
    pub(crate) run: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong),
    pub(crate) cleanup: unsafe extern "C" fn(sys::LADSPA_Handle),
    pub(crate) activate: Option<unsafe extern "C" fn(sys::LADSPA_Handle)>,
    pub(crate) deactivate: Option<unsafe extern "C" fn(sys::LADSPA_Handle)>,
    pub(crate) run_adding: Option<RunAdding>,
}

/// `run_adding` and `set_run_adding_gain`, which a plugin has both or neither of.
#[derive(Clone, Copy)]
pub(crate) struct RunAdding {
    pub(crate) run_adding: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong),
    pub(crate) set_run_adding_gain: unsafe extern "C" fn(sys::LADSPA_Handle, sys::LADSPA_Data),
}

/// The plugin functions that runs call.
#[derive(Clone, Copy)]
pub(crate) struct RunFunctions {
    pub(crate) connect_port:
        unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong, *mut sys::LADSPA_Data),
    pub(crate) run: unsafe extern "C" fn(sys::LADSPA_Handle, c_ulong),
    pub(crate) run_adding: Option<RunAdding>,
}

impl RunFunctions {
    pub(crate) fn of(functions: &Functions) -> Self {
        Self {
            connect_port: functions.connect_port,
            run: functions.run,
            run_adding: functions.run_adding,
        }
    }
}
