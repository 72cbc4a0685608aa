//! `tp_bad_descriptors.so`: one descriptor per defect a host must detect, between valid ones.
//!
//! `ladspa_descriptor(i)` returns, in the order of `ladspa_testplugins::BAD_DESCRIPTORS`:
//! the valid `tp_good_neighbour` (7100); one invalid descriptor per defect (7101 to 7119), each
//! the valid amplifier layout (0 "Gain", 1 "Input", 2 "Output") with one thing wrong; the valid
//! `tp_latin1` (7120), whose Name and "Input" port name are Latin-1 bytes, not UTF-8 (a host
//! must accept it); the valid `tp_good_tail` (7121); then NULL.
//!
//! The valid ones are mono amplifiers and count in this file's counters.

use core::ffi::c_ulong;
use core::ptr;

use ladspa_testplugins::kit::*;

ladspa_testplugins::export_counters!(COUNTERS);

static PORTS: PortTable<3> = PortTable::new(AMP_MONO_PORTS);

/// A valid amplifier descriptor with this ID and label.
const fn amp(unique_id: c_ulong, label: &'static core::ffi::CStr) -> LADSPA_Descriptor {
    descriptor::<Amp<1>, 3>(
        Info {
            unique_id,
            label,
            name: c"Test Bad Descriptors Amplifier",
            properties: 0,
        },
        &PORTS,
        &COUNTERS,
    )
}

/// The amplifier's ports with port 1 ("Input") given the port descriptor `port_descriptor`.
const fn with_port_1(port_descriptor: LADSPA_PortDescriptor) -> PortTable<3> {
    let mut table = PortTable::new(AMP_MONO_PORTS);
    table.descriptors[1] = port_descriptor;
    table
}

static NULL_NAME_PORTS: PortTable<3> = {
    let mut table = PortTable::new(AMP_MONO_PORTS);
    table.names[1] = ptr::null();
    table
};
static INPUT_AND_OUTPUT_PORTS: PortTable<3> =
    with_port_1(LADSPA_PORT_INPUT | LADSPA_PORT_OUTPUT | LADSPA_PORT_AUDIO);
static NO_DIRECTION_PORTS: PortTable<3> = with_port_1(LADSPA_PORT_AUDIO);
static AUDIO_AND_CONTROL_PORTS: PortTable<3> =
    with_port_1(LADSPA_PORT_INPUT | LADSPA_PORT_CONTROL | LADSPA_PORT_AUDIO);
static NO_KIND_PORTS: PortTable<3> = with_port_1(LADSPA_PORT_INPUT);

static LATIN1_PORTS: PortTable<3> = PortTable::new([
    Port::control_in(c"Gain", AMP_GAIN_HINT, 0.0, 0.0),
    Port::audio_in(c"Entr\xe9e"),
    Port::audio_out(c"Output"),
]);

static GOOD_NEIGHBOUR: StaticDescriptor = StaticDescriptor::new(amp(7100, c"tp_good_neighbour"));
static NULL_LABEL: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    Label: ptr::null(),
    ..amp(7101, c"bad_null_label")
});
static NULL_NAME: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    Name: ptr::null(),
    ..amp(7102, c"bad_null_name")
});
static NULL_MAKER: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    Maker: ptr::null(),
    ..amp(7103, c"bad_null_maker")
});
static NULL_COPYRIGHT: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    Copyright: ptr::null(),
    ..amp(7104, c"bad_null_copyright")
});
static NULL_PORT_DESCRIPTORS: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    PortDescriptors: ptr::null(),
    ..amp(7105, c"bad_null_port_descriptors")
});
static NULL_PORT_NAMES: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    PortNames: ptr::null(),
    ..amp(7106, c"bad_null_port_names")
});
static NULL_PORT_RANGE_HINTS: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    PortRangeHints: ptr::null(),
    ..amp(7107, c"bad_null_port_range_hints")
});
static NULL_PORT_NAME: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7108,
        label: c"bad_null_port_name",
        name: c"Bad: NULL port name",
        properties: 0,
    },
    &NULL_NAME_PORTS,
    &COUNTERS,
));
static PORT_INPUT_AND_OUTPUT: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7109,
        label: c"bad_port_input_and_output",
        name: c"Bad: input and output",
        properties: 0,
    },
    &INPUT_AND_OUTPUT_PORTS,
    &COUNTERS,
));
static PORT_NO_DIRECTION: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7110,
        label: c"bad_port_no_direction",
        name: c"Bad: no direction",
        properties: 0,
    },
    &NO_DIRECTION_PORTS,
    &COUNTERS,
));
static PORT_AUDIO_AND_CONTROL: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7111,
        label: c"bad_port_audio_and_control",
        name: c"Bad: audio and control",
        properties: 0,
    },
    &AUDIO_AND_CONTROL_PORTS,
    &COUNTERS,
));
static PORT_NO_KIND: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7112,
        label: c"bad_port_no_kind",
        name: c"Bad: no kind",
        properties: 0,
    },
    &NO_KIND_PORTS,
    &COUNTERS,
));
static NULL_INSTANTIATE: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    instantiate: None,
    ..amp(7113, c"bad_null_instantiate")
});
static NULL_CONNECT_PORT: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    connect_port: None,
    ..amp(7114, c"bad_null_connect_port")
});
static NULL_RUN: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    run: None,
    ..amp(7115, c"bad_null_run")
});
static NULL_CLEANUP: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    cleanup: None,
    ..amp(7116, c"bad_null_cleanup")
});
static RUN_ADDING_WITHOUT_GAIN: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    set_run_adding_gain: None,
    ..with_run_adding::<Amp<1>>(amp(7117, c"bad_run_adding_without_gain"))
});
static GAIN_WITHOUT_RUN_ADDING: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    run_adding: None,
    ..with_run_adding::<Amp<1>>(amp(7118, c"bad_gain_without_run_adding"))
});
static HUGE_PORT_COUNT: StaticDescriptor = StaticDescriptor::new(LADSPA_Descriptor {
    PortCount: 1 << 40,
    ..amp(7119, c"bad_huge_port_count")
});
static LATIN1: StaticDescriptor = StaticDescriptor::new(descriptor::<Amp<1>, 3>(
    Info {
        unique_id: 7120,
        label: c"tp_latin1",
        name: c"Caf\xe9 Amplifier",
        properties: 0,
    },
    &LATIN1_PORTS,
    &COUNTERS,
));
static GOOD_TAIL: StaticDescriptor = StaticDescriptor::new(amp(7121, c"tp_good_tail"));

ladspa_testplugins::export_descriptors!(
    &GOOD_NEIGHBOUR,
    &NULL_LABEL,
    &NULL_NAME,
    &NULL_MAKER,
    &NULL_COPYRIGHT,
    &NULL_PORT_DESCRIPTORS,
    &NULL_PORT_NAMES,
    &NULL_PORT_RANGE_HINTS,
    &NULL_PORT_NAME,
    &PORT_INPUT_AND_OUTPUT,
    &PORT_NO_DIRECTION,
    &PORT_AUDIO_AND_CONTROL,
    &PORT_NO_KIND,
    &NULL_INSTANTIATE,
    &NULL_CONNECT_PORT,
    &NULL_RUN,
    &NULL_CLEANUP,
    &RUN_ADDING_WITHOUT_GAIN,
    &GAIN_WITHOUT_RUN_ADDING,
    &HUGE_PORT_COUNT,
    &LATIN1,
    &GOOD_TAIL,
);
