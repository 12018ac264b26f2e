"""Coach & Mentor: everything outside the Rasa custom actions (channels, NLU resources,
persona engines, content, store, scheduler, command line)."""
