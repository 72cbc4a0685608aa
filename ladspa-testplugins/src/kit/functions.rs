//! The generic `extern "C"` functions of a descriptor, for a plugin type `P`: each counts its
//! call in the file's counters and drives `P`.

use core::ffi::c_ulong;
use core::ptr;

use ladspa_host_sys::*;

use super::instance::{Instance, Io, Plugin};
use super::port::MAX_PORTS;
use crate::counters::Counters;

/// The counters a descriptor of [`descriptor()`](super::descriptor()) carries.
///
/// # Safety
///
/// `descriptor` must be NULL or point to a descriptor made by [`descriptor()`](super::descriptor()) (or from one).
unsafe fn counters_of(descriptor: *const LADSPA_Descriptor) -> Option<&'static Counters> {
    // SAFETY: per the contract, `descriptor` is NULL or valid.
    let descriptor = unsafe { descriptor.as_ref() }?;
    // SAFETY: `descriptor()` stores a `&'static Counters` in `ImplementationData`.
    unsafe { (descriptor.ImplementationData as *const Counters).as_ref() }
}

/// `instantiate` of `P`: boxes `P::new(sample_rate)`, counting `instantiated` (or
/// `failed_instantiations` when it returns `None`).
///
/// # Safety
///
/// `descriptor` must be NULL or one made by [`descriptor()`](super::descriptor()) for `P`.
pub unsafe extern "C" fn instantiate<P: Plugin>(
    descriptor: *const LADSPA_Descriptor,
    sample_rate: c_ulong,
) -> LADSPA_Handle {
    // SAFETY: forwarded from this function's contract.
    let Some(counters) = (unsafe { counters_of(descriptor) }) else {
        return ptr::null_mut();
    };
    let Some(plugin) = P::new(sample_rate) else {
        Counters::bump(&counters.failed_instantiations);
        return ptr::null_mut();
    };
    // SAFETY: `counters_of` returned `Some`, so `descriptor` is valid.
    let port_count = unsafe { (*descriptor).PortCount };
    let port_count = usize::try_from(port_count)
        .unwrap_or(MAX_PORTS)
        .min(MAX_PORTS);
    let instance = Instance {
        counters,
        ports: vec![ptr::null_mut(); port_count],
        adding_gain: 1.0,
        plugin,
    };
    Counters::bump(&counters.instantiated);
    Box::into_raw(Box::new(instance)).cast()
}

/// The instance behind a handle.
///
/// # Safety
///
/// `handle` must come from [`instantiate::<P>`](instantiate), not be cleaned up, and not be in
/// use by another call.
unsafe fn instance<'a, P: Plugin>(handle: LADSPA_Handle) -> &'a mut Instance<P> {
    // SAFETY: per the contract, `handle` is a live, unshared `Box<Instance<P>>`.
    unsafe { &mut *handle.cast::<Instance<P>>() }
}

/// The ports of an instance as they are connected now, seen as the buffers of a run of `len`
/// samples, without counting a run.
///
/// This is for the hostile fixtures, which wrap the generic functions of this module and touch
/// their ports where the LADSPA specification does not let a plugin touch them (outside `run`,
/// or past the end of a run), as real plugins do. Call it after the generic function that the
/// wrapper forwards to has returned (or before it is called), never while it runs.
///
/// # Safety
///
/// As [`connect_port()`], and the connected buffers must be as [`Io::new`] requires for `len`
/// samples while the `Io` lives. Nothing in LADSPA promises that outside a run; a hostile
/// fixture calls this exactly where a host that defends itself makes it true, and crashes (or
/// corrupts memory) where it does not, which is what its tests look for.
pub unsafe fn connected<'a, P: Plugin>(handle: LADSPA_Handle, len: usize) -> Io<'a> {
    // SAFETY: forwarded from this function's contract.
    let instance: &'a Instance<P> = unsafe { instance::<P>(handle) };
    // SAFETY: the buffers are valid for `len` samples (this function's contract).
    unsafe { Io::new(&instance.ports, len, instance.counters) }
}

/// `connect_port` of `P`, counting `connections`: remembers the pointer (ports beyond the
/// descriptor's are ignored).
///
/// # Safety
///
/// `handle` must be a live instance of [`instantiate::<P>`](instantiate), used by no other call
/// at the same time.
pub unsafe extern "C" fn connect_port<P: Plugin>(
    handle: LADSPA_Handle,
    port: c_ulong,
    data: *mut LADSPA_Data,
) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.connections);
    if let Some(slot) = usize::try_from(port)
        .ok()
        .and_then(|port| instance.ports.get_mut(port))
    {
        *slot = data;
    }
}

/// `activate` of `P`, counting `activated`: [`Plugin::activate`], then [`Plugin::activated`]
/// with the control ports.
///
/// # Safety
///
/// As [`connect_port()`], and every connected control port must point to a value that no
/// other thread uses meanwhile (LADSPA lets `activate` read controls, and hosts connect them
/// first).
pub unsafe extern "C" fn activate<P: Plugin>(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.activated);
    instance.plugin.activate();
    // SAFETY: connected control ports point to a value (this function's contract); a run of 0
    // samples touches no audio sample.
    let controls = unsafe { Io::new(&instance.ports, 0, instance.counters) };
    instance.plugin.activated(&controls);
}

/// `deactivate` of `P`, counting `deactivated`.
///
/// # Safety
///
/// As [`connect_port()`].
pub unsafe extern "C" fn deactivate<P: Plugin>(handle: LADSPA_Handle) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.deactivated);
    instance.plugin.deactivate();
}

/// `run` of `P`, counting `runs`.
///
/// # Safety
///
/// As [`connect_port()`], and every port must be connected to a buffer valid for
/// `sample_count` samples (one value for a control port) that no other thread uses meanwhile.
pub unsafe extern "C" fn run<P: Plugin>(handle: LADSPA_Handle, sample_count: c_ulong) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.runs);
    let len = usize::try_from(sample_count).unwrap_or(usize::MAX);
    // SAFETY: the connected buffers are valid for `len` samples (this function's contract).
    let io = unsafe { Io::new(&instance.ports, len, instance.counters) };
    instance.plugin.run(&io);
}

/// `run_adding` of `P`, counting `run_addings`, with the gain of the last
/// `set_run_adding_gain` (1 after `instantiate`).
///
/// # Safety
///
/// As [`run()`].
pub unsafe extern "C" fn run_adding<P: Plugin>(handle: LADSPA_Handle, sample_count: c_ulong) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    Counters::bump(&instance.counters.run_addings);
    let len = usize::try_from(sample_count).unwrap_or(usize::MAX);
    // SAFETY: the connected buffers are valid for `len` samples (this function's contract).
    let io = unsafe { Io::new(&instance.ports, len, instance.counters) };
    instance.plugin.run_adding(&io, instance.adding_gain);
}

/// `set_run_adding_gain` of `P`.
///
/// # Safety
///
/// As [`connect_port()`].
pub unsafe extern "C" fn set_run_adding_gain<P: Plugin>(handle: LADSPA_Handle, gain: LADSPA_Data) {
    // SAFETY: forwarded from this function's contract.
    let instance = unsafe { instance::<P>(handle) };
    instance.adding_gain = gain;
}

/// `cleanup` of `P`: frees the instance, counting `cleaned_up`.
///
/// # Safety
///
/// `handle` must be a live instance of [`instantiate::<P>`](instantiate), used by no other call,
/// and is dangling afterwards.
pub unsafe extern "C" fn cleanup<P: Plugin>(handle: LADSPA_Handle) {
    // SAFETY: per the contract, `handle` is the pointer of a live `Box<Instance<P>>` that
    // nothing else uses, so taking it back is the single owner freeing it.
    let instance = unsafe { Box::from_raw(handle.cast::<Instance<P>>()) };
    Counters::bump(&instance.counters.cleaned_up);
    drop(instance);
}
