// A 3D Tiles 1.1 tileset of GLB tiles (GET /api/v1/scene/tileset.json, or the directory
// `twin export --format 3dtiles` writes), streamed by the 3d-tiles-renderer TilesRenderer:
// what a view needs is loaded (levels of detail by screen-space error: coarse boxes far away,
// whole buildings close by) and what no view needs any more is disposed. Each tile's
// `_feature_id_0` is rewritten from the tile's own feature table into the campus-wide table of
// CampusModel as it loads (see CampusModel.addTile), so colours, picking, search and the time
// slider work on features as they arrive.
//
// Frames: the tileset's root transform puts its Z-up local frame on the globe (ECEF); the
// renderer's group undoes it and turns Z-up into the viewer's Y-up scene frame (x east, y up,
// z south), so tiles land where the single GLB's meshes do.
import * as THREE from "three";
import { TilesRenderer } from "3d-tiles-renderer";

const ERROR_TARGET = 16; // px of screen-space error before a tile is refined
const CACHE_BYTES = 400 * 2 ** 20; // GPU memory the tile cache may hold before it evicts
const Z_UP_TO_Y_UP = new THREE.Matrix4().makeRotationX(-Math.PI / 2);

/**
 * Open the tileset at `url`: resolves (once its JSON is read) to a group whose userData is
 * that of the single GLB (an empty feature table that tiles fill as they load) plus `tiles`,
 * the TilesRenderer, and `box`, the tileset's bounding box in the scene frame.
 */
export async function loadTileset(url) {
  const tiles = new TilesRenderer(new URL(url, location.href).href);
  tiles.errorTarget = ERROR_TARGET;
  tiles.lruCache.maxBytesSize = CACHE_BYTES;
  const opened = new Promise((resolve, reject) => {
    tiles.addEventListener("load-root-tileset", ({ tileset }) => resolve(tileset));
    tiles.addEventListener("load-error", ({ error, url: where }) => reject(new Error(`tileset ${where}: ${error?.message || error}`)));
  });
  tiles.update(); // requests the root tileset
  const tileset = await opened;
  const version = String(tileset.asset?.version);
  if (!/^1\./.test(version)) throw new Error(`tileset version ${version} is not 3D Tiles 1.x`);
  const toGlobe = new THREE.Matrix4();
  if (tileset.root.transform) toGlobe.fromArray(tileset.root.transform);
  tiles.group.matrix.multiplyMatrices(Z_UP_TO_Y_UP, toGlobe.invert());
  tiles.group.matrixAutoUpdate = false;
  const root = new THREE.Group();
  root.add(tiles.group);
  root.updateMatrixWorld(true);
  root.userData = {
    feature_ids: [],
    feature_kinds: {},
    origin: tileset.extras?.origin || null,
    tiles,
    box: sceneBox(tileset.root.boundingVolume),
  };
  return root;
}

/**
 * Stream the tiles of `root` (from loadTileset) for the stage's camera: each frame updates
 * the renderer; `onLoad(scene)` and `onDispose(scene)` are told of each tile's content as it
 * arrives and leaves. Resolves when the root tile's content (the ground) is on hand.
 */
export function streamTiles(root, stage, { onLoad, onDispose }) {
  const tiles = root.userData.tiles;
  tiles.setCamera(stage.camera);
  tiles.setResolutionFromRenderer(stage.camera, stage.renderer);
  let groundLoaded;
  const ground = new Promise((resolve) => (groundLoaded = resolve));
  tiles.addEventListener("load-model", ({ scene, tile }) => {
    // world matrices now, so boxes of its features are right before the next frame
    scene.matrixWorld.multiplyMatrices(tiles.group.matrixWorld, scene.matrix);
    for (const child of scene.children) child.updateMatrixWorld(true);
    onLoad(scene);
    if (!tile.parent) groundLoaded();
    stage.requestRender();
  });
  tiles.addEventListener("dispose-model", ({ scene }) => onDispose(scene));
  tiles.addEventListener("tile-visibility-change", ({ scene, visible }) => {
    if (scene) scene.userData.shown = visible;
  });
  tiles.addEventListener("needs-update", () => stage.requestRender());
  tiles.addEventListener("tiles-load-end", () => stage.requestRender());
  stage.beforeRender = () => {
    tiles.setResolutionFromRenderer(stage.camera, stage.renderer);
    tiles.update();
  };
  stage.requestRender();
  return ground;
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
