// Geometry has versions over time (an import takes effect on a date): when the time slider
// crosses one, the viewer swaps in the campus as built then. The scene is asked for with the
// ETag of the one on screen, so while the version does not change the answer is a bodiless 304.
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";

const URLS = { glb: "/api/v1/scene.glb", tiles: "/api/v1/scene/tileset.json" };

/**
 * The campus as built on `at` ("glb" or "tiles"): `{ etag, root }`, or null when its ETag is
 * still `etag` (the geometry on screen is the geometry of that day).
 */
export async function sceneAt(kind, at, etag = null) {
  const url = `${URLS[kind] || URLS.glb}?at=${encodeURIComponent(at)}`;
  const response = await fetch(url, { headers: etag ? { "If-None-Match": etag } : {} });
  if (response.status === 304) return null;
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const tag = response.headers.get("ETag");
  if (kind === "tiles") {
    const { loadTileset } = await import("./tiles.js"); // the tiles renderer: only when streaming
    return { etag: tag, root: await loadTileset(url) };
  }
  const gltf = await new GLTFLoader().parseAsync(await response.arrayBuffer(), "");
  return { etag: tag, root: gltf.scene };
}

/** Free the GPU buffers of a scene that left the stage. */
export function dispose(root) {
  root.userData.tiles?.dispose(); // streamed tiles: the renderer frees what it loaded
  root.traverse((o) => o.isMesh && o.geometry.dispose());
}
