"""Session setup for Tests/Interop: fresh stubs from proto/ before any test module is imported."""

import protos

# At import, before test modules are collected: they import the stubs and enumerate messages.
protos.generate()
