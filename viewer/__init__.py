"""Campus renders: pyvista PNG images and a desktop window (render), the browser client (web/)."""
