// The chosen proposal's outline in 3D: the API's outline (GeoJSON in lon/lat, the union of the
// units' footprints, one feature per floor) projected to the scene's frame (UTM of the GLB's
// origin, metres east/up/south of it) and drawn as line loops at each floor's height, seen
// through walls.
import * as THREE from "three";

export const OUTLINE_COLOR = "#ffe600"; // apart from the proposal's red units it rings
const LIFT_M = 0.15; // above the floor slab, so the line is not lost in it

// WGS 84 and UTM, Krüger's series to the third order (about 1 mm within a zone)
const A = 6378137;
const F = 1 / 298.257223563;
const N = F / (2 - F);
const RECT = (A / (1 + N)) * (1 + N ** 2 / 4 + N ** 4 / 64);
const ALPHA = [N / 2 - (2 * N ** 2) / 3 + (5 * N ** 3) / 16, (13 * N ** 2) / 48 - (3 * N ** 3) / 5, (61 * N ** 3) / 240];
const E2 = (2 * Math.sqrt(N)) / (1 + N);
const K0 = 0.9996;

/** (lon, lat) in degrees -> UTM (easting, northing) in metres of northern zone `zone`. */
export function utm(lon, lat, zone) {
  const rad = Math.PI / 180;
  const phi = lat * rad;
  const lambda = (lon - (zone * 6 - 183)) * rad;
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - E2 * Math.atanh(E2 * Math.sin(phi)));
  const xi = Math.atan2(t, Math.cos(lambda));
  const eta = Math.atanh(Math.sin(lambda) / Math.sqrt(1 + t * t));
  let east = eta;
  let north = xi;
  ALPHA.forEach((a, i) => {
    const j = 2 * (i + 1);
    east += a * Math.cos(j * xi) * Math.sinh(j * eta);
    north += a * Math.sin(j * xi) * Math.cosh(j * eta);
  });
  return [500000 + K0 * RECT * east, K0 * RECT * north];
}

/** The scene's (x, z) of a lon/lat, from the GLB's origin ({crs: "EPSG:326zz", x, y}). */
function toScene(origin) {
  const zone = Number(/^EPSG:326(\d\d)$/.exec(origin.crs || "")?.[1]);
  if (!zone) return null;
  return ([lon, lat]) => {
    const [east, north] = utm(lon, lat, zone);
    return [east - origin.x, -(north - origin.y)];
  };
}

/** The rings of a GeoJSON Polygon or MultiPolygon, exterior and holes. */
function rings(geometry) {
  if (geometry.type === "Polygon") return geometry.coordinates;
  if (geometry.type === "MultiPolygon") return geometry.coordinates.flat();
  return [];
}

export class ProposalOutline {
  constructor(scene) {
    this.group = new THREE.Group();
    this.group.name = "proposal-outline";
    this.group.renderOrder = 10;
    this.material = new THREE.LineBasicMaterial({ color: OUTLINE_COLOR, depthTest: false, transparent: true });
    scene.add(this.group);
  }

  /** Draw `proposal`'s outline ({outline, units}); null clears it. The height of each floor is
   * the bottom of its units in `model` (a floor not on screen is left out). */
  show(proposal, model) {
    this.clear();
    const project = proposal && model.origin && toScene(model.origin);
    if (!project) return;
    for (const feature of proposal.outline?.features || []) {
      const floor = feature.properties?.floor ?? feature.id;
      const boxes = proposal.units.filter((u) => u.floor === floor).map((u) => model.extentOf(u.id)).filter(Boolean);
      if (!boxes.length) continue;
      const y = Math.min(...boxes.map((b) => b.min.y)) + LIFT_M;
      for (const ring of rings(feature.geometry)) {
        const points = ring.slice(0, -1).map((c) => new THREE.Vector3(...project(c).flatMap((v, i) => (i ? [y, v] : [v]))));
        const line = new THREE.LineLoop(new THREE.BufferGeometry().setFromPoints(points), this.material);
        line.userData.floor = floor;
        line.renderOrder = 10;
        this.group.add(line);
      }
    }
  }

  clear() {
    for (const line of this.group.children) line.geometry.dispose();
    this.group.clear();
  }

  /** What is drawn, for tests: per loop its floor, vertex count and bounds (scene metres). */
  get state() {
    return this.group.children.map((line) => {
      const box = new THREE.Box3().setFromObject(line);
      return { floor: line.userData.floor, vertices: line.geometry.attributes.position.count, min: box.min.toArray(), max: box.max.toArray() };
    });
  }
}
