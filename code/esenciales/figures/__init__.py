"""Las figuras del libro, hechas con matplotlib en un solo estilo."""
