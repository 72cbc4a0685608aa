//! A guide to real-time use: which calls an audio callback may make, and how handles and
//! control changes travel between it and the rest of a program.
//!
//! An audio callback must finish each block in time, every time: it must not allocate, take a
//! lock that another thread may hold, or do I/O. This crate's run path keeps those rules (the
//! allocation-free proof is `tests/alloc.rs`, and the `realtime` example counts allocations on
//! its callback thread); so must the plugin, which `Properties::HARD_RT_CAPABLE` promises.
//!
//! # On the audio thread
//!
//! - [`Handle::run`], [`Handle::run_adding`], [`Handle::run_in_place`]: no allocation, no lock.
//!   They apply the changes made through [`Controls`] first and publish control outputs after.
//! - [`BoundRun::run`] (from [`Handle::bind`], made once): the same, with only the sample count
//!   checked, as fast as calling the plugin's `run` by hand.
//! - [`Controls::set`] and [`Controls::get`], and [`Handle::set_control`] / [`Handle::control`]
//!   on a handle the thread owns: atomics and plain memory. Name ports by index there (resolve
//!   names once, elsewhere, with [`Descriptor::control_input`]): a lookup by name scans the
//!   port names, and a *failed* one builds an error message.
//! - [`Chain::process`](crate::Chain::process) and
//!   [`Chain::process_automated`](crate::Chain::process_automated) (by port index), and
//!   [`StageControls`](crate::chain::StageControls) from other threads: no allocation, no lock
//!   (`tests/chain_alloc.rs`). Build the chain and set its first controls before it goes to
//!   the audio thread.
//! - Errors: a refused run returns an error that holds a reference count of its
//!   [`Descriptor`], nothing allocated; formatting it allocates, so report it elsewhere.
//!
//! - With the `jack` feature, `ladspa_host::live::JackHost` runs a whole chain as a JACK
//!   client on these rules, proven on a real server (`tests/live`).
//!
//! # Not on the audio thread
//!
//! - [`Plugin::load`](crate::Plugin::load), [`Descriptor::instantiate`], [`Handle::activate`],
//!   [`Handle::deactivate`], [`Handle::reset`], and dropping a handle: they take the process-wide
//!   lifecycle lock (plugins share global state), and `instantiate` and `cleanup` (run when a
//!   handle is dropped) allocate and free memory in the plugin.
//! - The first [`Handle::controls`] of a handle, which allocates the shared slots: call it
//!   before the handle goes to the audio thread, and clone the [`Controls`] as needed.
//!
//! # Handing handles over and back
//!
//! Make and activate handles on a control thread, then move them to the audio thread (a
//! [`Handle`] is `Send`); to swap plugins while audio runs, pass new handles through a bounded
//! channel or a lock-free queue the callback polls, and send the old ones *back* to be dropped
//! on the control thread. [`AnyHandle`] holds handles of either state in one collection.
//!
//! ```
//! # let path = ladspa_testplugins::reference_plugin("tp_amp");
//! # // SAFETY: the test plugins are trusted.
//! # let plugin = unsafe { ladspa_host::Plugin::load(&path) }?;
//! use std::sync::Arc;
//! use std::sync::atomic::{AtomicBool, Ordering};
//! use std::sync::mpsc::sync_channel;
//!
//! let amp = plugin.find_label("tp_amp_mono")?;
//! let gain = amp.control_input("Gain")?.index(); // names resolved off the audio thread
//! let mut handle = amp.instantiate(48_000)?.activate();
//! let knobs = handle.controls(); // allocates: before the audio thread starts
//!
//! let (retired, dropped_here) = sync_channel(4); // bounded: no allocation to send
//! let stop = Arc::new(AtomicBool::new(false));
//! let stop_seen = Arc::clone(&stop);
//! let audio = std::thread::spawn(move || {
//!     let (mut input, mut output) = ([vec![1.0_f32; 64]], [vec![0.0_f32; 64]]);
//!     let mut bound = handle.bind(&mut input, &mut output).expect("one input, one output");
//!     loop {
//!         let last = stop_seen.load(Ordering::Acquire);
//!         bound.run(64).expect("64 samples fit"); // applies knob changes, publishes meters
//!         if last {
//!             break;
//!         }
//!     }
//!     retired.try_send(handle).expect("room in the channel"); // dropped elsewhere
//! });
//! knobs.set(gain, 0.5)?; // from this ("GUI") thread, while the audio thread runs
//! stop.store(true, Ordering::Release); // (one more block runs after this)
//! audio.join().unwrap();
//! let handle = dropped_here.recv().unwrap();
//! assert_eq!(handle.control(gain)?, 0.5); // the change reached the plugin
//! drop(handle); // deactivate + cleanup, on this thread
//! # Ok::<(), ladspa_host::Error>(())
//! ```
//!
//! The standard library's bounded channel (`sync_channel`) preallocates its slots and its
//! `try_send` takes no lock unless a receiver is blocked waiting; a receiver that polls with
//! `try_recv` (or a dedicated lock-free queue) keeps the callback free of locks altogether.
//!
//! [`AnyHandle`]: crate::AnyHandle
//! [`BoundRun::run`]: crate::BoundRun::run
//! [`Controls`]: crate::Controls
//! [`Controls::get`]: crate::Controls::get
//! [`Controls::set`]: crate::Controls::set
//! [`Descriptor`]: crate::Descriptor
//! [`Descriptor::control_input`]: crate::Descriptor::control_input
//! [`Descriptor::instantiate`]: crate::Descriptor::instantiate
//! [`Handle`]: crate::Handle
//! [`Handle::activate`]: crate::Handle::activate
//! [`Handle::bind`]: crate::Handle::bind
//! [`Handle::control`]: crate::Handle::control
//! [`Handle::controls`]: crate::Handle::controls
//! [`Handle::deactivate`]: crate::Handle::deactivate
//! [`Handle::reset`]: crate::Handle::reset
//! [`Handle::run`]: crate::Handle::run
//! [`Handle::run_adding`]: crate::Handle::run_adding
//! [`Handle::run_in_place`]: crate::Handle::run_in_place
//! [`Handle::set_control`]: crate::Handle::set_control
