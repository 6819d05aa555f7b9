"""The 3D scene: GLB and 3D Tiles, colours by mode, overlays, rendered pictures, the web client."""
