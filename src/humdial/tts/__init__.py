"""Speech synthesis: the Synthesizer protocol and one module per backend."""
