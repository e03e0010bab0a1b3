// The `handout` command line; see Literate for the engine.
print("handout: the runner is not built yet")
