"""The audit: rule targets and their subjects, evaluation, path rules, waivers, scoring and the gate."""
