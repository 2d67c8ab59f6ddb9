package fix

// Default returns the registry of every fix action vigil has.
func Default() *Registry {
	return NewRegistry()
}
