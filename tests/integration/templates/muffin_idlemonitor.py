# SPDX-License-Identifier: MIT
"""Cinnamon's org.cinnamon.Muffin.IdleMonitor: the Mutter mock under another name."""
import importlib.util
import pathlib

_spec = importlib.util.spec_from_file_location(
    "limber_mutter_template", pathlib.Path(__file__).with_name("mutter_idlemonitor.py"))
_base = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_base)

BUS_NAME = 'org.cinnamon.Muffin.IdleMonitor'
MAIN_OBJ = '/org/cinnamon/Muffin/IdleMonitor/Core'
MAIN_IFACE = 'org.cinnamon.Muffin.IdleMonitor'
SYSTEM_BUS = False


def load(mock, parameters):
    _base.load(mock, dict(parameters, muffin=True))
