# If smithy ever executed this file, the test would see the marker file.
import pathlib

pathlib.Path(__file__).with_name("EXECUTED_MARKER").write_text("setup.py ran")
from setuptools import setup

setup(name="setup-reader", version="9.9.9")
