// Literate: the engine. parse → tangle → compile → run → weave → check.
