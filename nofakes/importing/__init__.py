"""From supplier spreadsheets to supply.yaml: header recognition, mappings, value normalisation, building."""
