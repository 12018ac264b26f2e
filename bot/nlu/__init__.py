"""NLU resources: the project's spaCy pipeline and custom Rasa NLU components."""
