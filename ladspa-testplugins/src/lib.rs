//! Reference and deliberately broken LADSPA plugins for the workspace's tests (being built).
