"""A module added by its folder only (issue 9, item 7): 碳排放, enabled by one INSTALLED_APPS
line (see tests/extension/test_plugin_module.py). Nothing outside this folder names it."""
