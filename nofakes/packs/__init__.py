"""Guideline packs: the pack model, pack files, the catalogue and version resolution."""
