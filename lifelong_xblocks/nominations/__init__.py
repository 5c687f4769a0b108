"""Nomination campaigns: learning stars, brand projects and activity cases.

Plain functions over the models (no XBlock imports): ``campaign`` (the settings of one campaign),
``forms`` (the form of each category and its validation), ``states`` (the state machine),
``nominating`` (what nominators do), ``quota`` (seats counted under a lock), ``materials``,
``review`` (what staff do), ``showcase`` and ``export``.
"""
