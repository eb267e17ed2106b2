#!/usr/bin/env python
"""Django's manage.py, kept for tools that look for it; `civicgrid` is the same."""

from civicgrid.__main__ import main

if __name__ == "__main__":
    main()
