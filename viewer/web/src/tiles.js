// A 3D Tiles 1.1 tileset of GLB tiles (GET /api/v1/scene/tileset.json, or the directory
// `twin export --format 3dtiles` writes) loaded into one three.js group that CampusModel takes
// as it takes the single GLB's scene: each tile's `_feature_id_0` is rewritten from the tile's
// own feature table to one table of the whole campus, so colours, picking, search and the
// time slider work unchanged.
//
// What is loaded: every content of the tree, at most MAX_TILES, PARALLEL at a time, in tree
// order (the ground at the root first). A tile whose refinement is REPLACE gives way to its
// children; ADD (ours) keeps both. The viewer needs every feature at once (search, colours by
// id, the construction slider), and our tilesets are flat (no coarser levels of detail), so a
// view-dependent traversal would save nothing; it would pay off only past what one browser
// holds. Bounding volumes are kept per tile (in the scene frame) and each tile's content is
// checked to lie inside its box: a tile that does not is reported on the console.
import * as THREE from "three";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";

export const MAX_TILES = 4096;
const PARALLEL = 6;
const TOLERANCE = 0.05; // m: float32 vertices against boxes rounded to the mm

/** Load the tileset at `url`; resolves to a group whose userData is that of the single GLB. */
export async function loadTileset(url) {
  const base = new URL(url, location.href);
  const response = await fetch(base);
  if (!response.ok) throw new Error(`tileset ${base.pathname}: HTTP ${response.status}`);
  const tileset = await response.json();
  const version = String(tileset.asset?.version);
  if (!/^1\./.test(version)) throw new Error(`tileset version ${version} is not 3D Tiles 1.x`);
  const contents = collect(tileset.root);
  if (contents.length > MAX_TILES) throw new Error(`tileset has ${contents.length} tiles; this viewer loads at most ${MAX_TILES}`);
  const loader = new GLTFLoader();
  const scenes = new Array(contents.length);
  let next = 0;
  const worker = async () => {
    while (next < contents.length) {
      const k = next++;
      scenes[k] = (await loader.loadAsync(new URL(contents[k].uri, base).href)).scene;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, contents.length) }, worker));
  return merge(tileset, contents, scenes);
}

/** The contents to draw, depth-first: [{uri, box}] (box: THREE.Box3 in the scene frame, or null). */
function collect(tile, inherited = "ADD", out = []) {
  const refine = tile.refine || inherited;
  const children = tile.children || [];
  const uris = [tile.content, ...(tile.contents || [])].filter(Boolean).map((c) => c.uri);
  if (!(children.length && refine === "REPLACE")) {
    for (const uri of uris) {
      if (/\.json$/i.test(uri)) throw new Error(`external tileset ${uri} is not supported`);
      out.push({ uri, box: sceneBox(tile.boundingVolume) });
    }
  }
  for (const child of children) collect(child, refine, out);
  return out;
}

/**
 * A 3D Tiles box or sphere (Z-up local frame: x east, y north, z up; m) as an axis-aligned
 * Box3 in the glTF scene frame (x east, y up, z south). Regions need the globe: null.
 */
export function sceneBox(volume) {
  let centre, extent;
  if (volume?.box) {
    const b = volume.box;
    centre = b.slice(0, 3);
    extent = [0, 1, 2].map((k) => Math.abs(b[3 + k]) + Math.abs(b[6 + k]) + Math.abs(b[9 + k]));
  } else if (volume?.sphere) {
    centre = volume.sphere.slice(0, 3);
    extent = [0, 1, 2].map(() => volume.sphere[3]);
  } else return null;
  const [x, y, z] = centre;
  const [ex, ey, ez] = extent;
  return new THREE.Box3(new THREE.Vector3(x - ex, z - ez, -y - ey), new THREE.Vector3(x + ex, z + ez, -y + ey));
}

/** One group of all tiles, their feature indices rewritten into one campus-wide table. */
function merge(tileset, contents, scenes) {
  const root = new THREE.Group();
  const ids = [];
  const kinds = {};
  const index = new Map();
  scenes.forEach((scene, k) => {
    const global = (scene.userData.feature_ids || []).map((id) => {
      if (!index.has(id)) index.set(id, ids.push(id) - 1);
      return index.get(id);
    });
    Object.assign(kinds, scene.userData.feature_kinds || {});
    scene.traverse((o) => {
      const fid = o.isMesh && o.geometry.attributes._feature_id_0;
      if (!fid) return;
      for (let i = 0; i < fid.array.length; i++) fid.array[i] = global[Math.round(fid.array[i])];
      fid.needsUpdate = true;
    });
    scene.name = contents[k].uri;
    checkBox(contents[k], scene);
    root.add(scene);
  });
  root.userData = {
    feature_ids: ids,
    feature_kinds: kinds,
    origin: tileset.extras?.origin || scenes[0]?.userData.origin || null,
    tiles: contents,
  };
  return root;
}

function checkBox(content, scene) {
  if (!content.box) return;
  const drawn = new THREE.Box3().setFromObject(scene);
  if (!content.box.clone().expandByScalar(TOLERANCE).containsBox(drawn)) {
    console.warn(`tile ${content.uri}: content lies outside its bounding volume`);
  }
}
