"""The Partnership's governance as aggregates and past-tense events; imports nothing of ours."""
