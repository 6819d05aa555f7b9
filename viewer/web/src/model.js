// The campus GLB in three.js: the feature table, a per-vertex colour attribute filled from
// `_feature_id_0` (one write per vertex), buildings that rise storey by storey (clipped at the
// top of the last storey standing, the rest drawn as a ghost), and a box per feature.
import * as THREE from "three";

export const GHOST_HEX = "#5e6a78";
export const LATE_GHOST_HEX = "#9a3f52"; // a building not begun that should have: late
export const FORECAST_HEX = "#4000a0"; // past today: storeys the forecast puts standing by then
const SLAB_CLEARANCE = 0.1; // m above a storey's top: the cut runs through the slab gap

export class CampusModel {
  constructor(root) {
    this.root = root;
    this.ids = root.userData.feature_ids || [];
    this.kinds = root.userData.feature_kinds || {};
    this.origin = root.userData.origin || null;
    this.index = new Map(this.ids.map((id, i) => [id, i]));
    this.meshes = [];
    this.buildings = new Map(); // id -> { mesh, ghost, forecast, cut, rest, tops, standing, begun }
    this.boxes = new Array(this.ids.length);
    this.meshOf = new Array(this.ids.length);
    this.solid = new THREE.MeshStandardMaterial({ vertexColors: true, roughness: 0.82, metalness: 0.02 });
    this.ghost = new THREE.MeshStandardMaterial({
      color: GHOST_HEX, transparent: true, opacity: 0.28, depthWrite: false, roughness: 1,
    });
    // a forecast storey: between what stands today and what the forecast has standing by then
    this.forecastMaterial = new THREE.MeshStandardMaterial({
      color: FORECAST_HEX, transparent: true, opacity: 0.72, depthWrite: false, roughness: 1,
    });
    root.updateMatrixWorld(true);
    for (const mesh of featureMeshes(root)) this.prepare(mesh, this.solid, this.ghost);
    this.indexStoreys(this.ids);
  }

  /**
   * A streamed tile's content joins the model: its feature ids are rewritten from the tile's
   * own table into this one (ids not seen before are appended). A coarse tile (one box per
   * building) is coloured by building and does not rise with the slider. Returns the new ids.
   */
  addTile(scene) {
    const fresh = [];
    const global = (scene.userData.feature_ids || []).map((id) => {
      if (!this.index.has(id)) {
        this.index.set(id, this.ids.push(id) - 1);
        fresh.push(id);
      }
      return this.index.get(id);
    });
    Object.assign(this.kinds, scene.userData.feature_kinds || {});
    const coarse = scene.userData.lod === "coarse";
    for (const mesh of featureMeshes(scene)) {
      const fid = mesh.geometry.attributes._feature_id_0;
      for (let i = 0; i < fid.array.length; i++) fid.array[i] = global[Math.round(fid.array[i])];
      mesh.userData.tile = scene;
      this.prepare(mesh, this.solid, this.ghost, { coarse });
    }
    this.indexStoreys(scene.userData.feature_ids || []);
    return fresh;
  }

  /** A streamed tile's content left the view: its meshes are no longer drawn or picked. */
  removeTile(scene) {
    this.meshes = this.meshes.filter((m) => m.userData.tile !== scene);
    for (const [id, b] of this.buildings) if (b.mesh.userData.tile === scene) this.buildings.delete(id);
  }

  prepare(mesh, solid, ghostMaterial, { coarse = false } = {}) {
    const geometry = mesh.geometry;
    const fids = Int32Array.from(geometry.attributes._feature_id_0.array, Math.round);
    geometry.setAttribute("color", new THREE.BufferAttribute(new Float32Array(fids.length * 3), 3));
    mesh.material = solid;
    mesh.userData.fids = fids;
    const building = (this.ids[fids[0]] || "").split("/")[0];
    const isBuilding = this.kinds[building] === "building" && !coarse;
    mesh.castShadow = isBuilding;
    mesh.receiveShadow = true;
    this.meshes.push(mesh);
    const position = geometry.attributes.position;
    const point = new THREE.Vector3();
    for (let i = 0; i < fids.length; i++) {
      const f = fids[i];
      (this.boxes[f] ||= new THREE.Box3()).expandByPoint(point.fromBufferAttribute(position, i));
      this.meshOf[f] = mesh;
    }
    if (!isBuilding) return;
    // one horizontal cut per building: the solid keeps what stands, the ghost the rest
    const cut = new THREE.Plane(new THREE.Vector3(0, -1, 0), 1e6);
    const rest = new THREE.Plane(new THREE.Vector3(0, 1, 0), -1e6);
    mesh.material = Object.assign(solid.clone(), { clippingPlanes: [cut], clipShadows: true });
    const ghost = layer(mesh, ghostMaterial, [rest], 2);
    // the forecast layer: above today's cut (`from`) and below the forecast's (`to`)
    const from = new THREE.Plane(new THREE.Vector3(0, 1, 0), 1e6);
    const to = new THREE.Plane(new THREE.Vector3(0, -1, 0), -1e6);
    const forecast = layer(mesh, this.forecastMaterial, [from, to], 1);
    this.buildings.set(building, { mesh, ghost, forecast, from, to, cut, rest, tops: [], standing: Infinity, forecastStanding: 0, begun: true });
  }

  /** The top of each storey of the buildings of `ids` (scene y, m), ground floor first. */
  indexStoreys(ids) {
    ids.forEach((id) => {
      const i = this.index.get(id);
      const [building, floor, unit] = id.split("/");
      const b = this.buildings.get(building);
      if (!b || !floor || unit || !this.boxes[i]) return;
      b.tops[Number(floor.slice(1)) - 1] = this.boxes[i].max.y;
    });
  }

  /** Fill every vertex colour from `palette` (linear RGB per feature, Float32Array 3n). */
  paint(palette) {
    for (const mesh of this.meshes) {
      const fids = mesh.userData.fids;
      const colors = mesh.geometry.attributes.color;
      const out = colors.array;
      for (let i = 0, j = 0; i < fids.length; i++, j += 3) {
        const k = fids[i] * 3;
        out[j] = palette[k];
        out[j + 1] = palette[k + 1];
        out[j + 2] = palette[k + 2];
      }
      colors.needsUpdate = true;
    }
  }

  /**
   * Show the storeys standing of each building (its `rise` share, in whole storeys) and the
   * rest as a ghost; a building not begun is all ghost. `progress`: {building id: {begun, rise,
   * late, forecast_rise}}; with `lateGhosts`, the ghost of a late building is tinted red, not
   * neutral grey. Past today (`forecast_rise` given) the storeys the forecast puts standing by
   * then, above those standing today, are an indigo forecast ghost.
   */
  setProgress(progress, { lateGhosts = false } = {}) {
    const top = (b, n) => (n >= b.tops.length ? 1e6 : n > 0 ? b.tops[n - 1] + SLAB_CLEARANCE : -1e6);
    for (const [id, b] of this.buildings) {
      const p = progress[id] || { begun: true, rise: 1 };
      b.ghost.material.color.set(lateGhosts && p.late ? LATE_GHOST_HEX : GHOST_HEX);
      const storeys = b.tops.length;
      b.begun = p.begun;
      b.standing = p.begun ? Math.ceil(p.rise * storeys - 1e-9) : 0;
      // past today: the forecast's storeys fill up from what stands today, storey by storey
      b.forecastStanding = p.forecast_rise == null ? b.standing : Math.max(b.standing, Math.ceil(p.forecast_rise * storeys - 1e-9));
      const height = top(b, b.standing);
      const ahead = top(b, b.forecastStanding);
      b.cut.constant = height;
      b.from.constant = -height;
      b.to.constant = ahead;
      b.rest.constant = -ahead;
      b.mesh.visible = b.standing > 0;
      b.forecast.visible = b.forecastStanding > b.standing;
      b.ghost.visible = b.forecastStanding < storeys;
    }
  }

  /** Storeys of `building` standing and forecast standing (past today), for tests and tips. */
  storeysOf(building) {
    const b = this.buildings.get(building);
    return b ? { storeys: b.tops.length, standing: b.standing, forecast: b.forecastStanding } : null;
  }

  /** Whether a feature is drawn as a ghost (its building not begun, or its storey not built). */
  isGhost(id) {
    const [building, floor] = String(id).split("/");
    const b = this.buildings.get(building);
    if (!b) return false;
    return floor ? Number(floor.slice(1)) > b.standing : !b.begun;
  }

  /** The feature's box in the scene, or null (a building has none of its own). */
  boxOf(id) {
    const i = this.index.get(id);
    if (i === undefined || !this.boxes[i]) return null;
    return this.boxes[i].clone().applyMatrix4(this.meshOf[i].matrixWorld);
  }

  /** A feature's box grown to include its descendants (a building's floors and units). */
  extentOf(id) {
    const own = this.boxOf(id);
    if (own && this.kinds[id] !== "building") return own;
    const box = own || new THREE.Box3();
    const prefix = `${id}/`;
    for (const other of this.ids) if (other.startsWith(prefix)) box.union(this.boxOf(other) || new THREE.Box3());
    return box.isEmpty() ? null : box;
  }

  /** Meshes a ray may hit: what stands, the ghosts and the ground (clipped parts are missed). */
  pickables() {
    const shown = (m) => !m.userData.tile || m.userData.tile.userData.shown;
    const out = this.meshes.filter((m) => m.visible && shown(m));
    for (const b of this.buildings.values()) if (b.ghost.visible && shown(b.mesh)) out.push(b.ghost);
    return out;
  }
}

/** A hidden copy of a building's mesh drawn with `material` clipped by `planes`. */
function layer(mesh, material, planes, order) {
  const copy = new THREE.Mesh(mesh.geometry, Object.assign(material.clone(), { clippingPlanes: planes }));
  copy.visible = false;
  copy.renderOrder = order;
  copy.userData.fids = mesh.userData.fids;
  copy.position.copy(mesh.position);
  copy.quaternion.copy(mesh.quaternion);
  copy.scale.copy(mesh.scale);
  mesh.parent.add(copy);
  return copy;
}

function featureMeshes(root) {
  const found = [];
  root.traverse((o) => o.isMesh && o.geometry.attributes._feature_id_0 && found.push(o));
  return found;
}
