"""The themes bundled with Broadsheet, installed as the package data of `builder.themes`.

This folder stays at the top of the repository, where theme authors find the default theme to copy;
pyproject.toml maps it to the package `builder.themes`, so a wheel carries every file of it and
Broadsheet finds it through importlib.resources, installed or not. Only this file is Python.
"""
