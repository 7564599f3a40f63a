"""Changing a feedstock's files safely: one smithy run per feedstock, all changes or none.

``lock`` holds the feedstock, ``journal`` applies a set of file changes so that a kill at any
instant is finished by the next run, ``session`` combines both. The rerender, ``lint --fix``,
bumps and CI registration write through here.
"""
