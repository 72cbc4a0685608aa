"""The exception hierarchy: rooted at LadspaError, each class also the built-in exception
Python code expects."""

from __future__ import annotations

import inspect

import ladspa
from ladspa import errors


def test_every_error_derives_from_ladspa_error_and_is_exported() -> None:
    classes = [getattr(errors, name) for name in errors.__all__]
    warnings = [c for c in classes if issubclass(c, Warning)]
    assert warnings == [ladspa.LadspaWarning] and issubclass(ladspa.LadspaWarning, UserWarning)
    assert all(issubclass(c, ladspa.LadspaError) for c in classes if c not in warnings)
    assert all(getattr(ladspa, c.__name__) is c for c in classes)
    assert all(inspect.getdoc(c) for c in classes)


def test_python_conventions() -> None:
    assert issubclass(ladspa.NoSuchPortError, KeyError)
    assert issubclass(ladspa.PluginNotFoundError, KeyError)
    assert issubclass(ladspa.AmbiguousPluginError, LookupError)
    assert issubclass(ladspa.NotFiniteError, ValueError)
    assert issubclass(ladspa.NotInputError, TypeError)
    assert issubclass(ladspa.NoSuchStageError, IndexError)
    assert issubclass(ladspa.LoadError, OSError)
    assert issubclass(ladspa.PluginFileNotFoundError, FileNotFoundError)
    assert issubclass(ladspa.ChannelCountError, ValueError)
    assert issubclass(ladspa.ClosedHandleError, ValueError)
    assert issubclass(ladspa.AudioFileError, OSError)
    assert issubclass(ladspa.AudioFormatError, ValueError)
    assert issubclass(ladspa.ControlRangeError, ValueError)
    assert str(ladspa.NoSuchPortError("no port")) == "no port"  # not KeyError's quotes
