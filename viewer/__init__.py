"""Renders of the campus: pyvista PNG images and desktop window (render), and the browser client (web/)."""
