// Camera flights: ease the camera and its target to frame a box, and the selection's marker.
import * as THREE from "three";

const ease = (x) => (x < 0.5 ? 4 * x * x * x : 1 - Math.pow(-2 * x + 2, 3) / 2);

/**
 * The camera position and target that show `box` filling `fill` of the free view (the part the
 * panel leaves), looking from the current direction or from the side `facing` points to (a
 * horizontal vector) 25° above the horizon. Fitted on the box's projected corners.
 */
export function framing(stage, box, fill = 0.6, facing = null) {
  const direction = stage.camera.position.clone().sub(stage.controls.target).normalize();
  if (facing && Math.hypot(facing.x, facing.z) > 0.5) {
    direction.set(facing.x, 0, facing.z).normalize().setY(Math.tan(THREE.MathUtils.degToRad(25))).normalize();
  }
  if (direction.y < 0.35) direction.setY(0.35).normalize();
  const camera = stage.camera.clone();
  const target = box.getCenter(new THREE.Vector3());
  let distance = Math.max(box.getSize(new THREE.Vector3()).length(), 80) * 1.5;
  const corners = [];
  for (const x of [box.min.x, box.max.x]) for (const y of [box.min.y, box.max.y]) for (const z of [box.min.z, box.max.z]) corners.push(new THREE.Vector3(x, y, z));
  const right = new THREE.Vector3(), up = new THREE.Vector3();
  for (let round = 0; round < 4; round++) {
    camera.position.copy(target).addScaledVector(direction, distance);
    camera.lookAt(target);
    camera.updateMatrixWorld();
    const axis = target.clone().project(camera); // where the free view's centre is
    const ndc = corners.map((c) => c.clone().project(camera));
    const [x0, x1] = [Math.min(...ndc.map((p) => p.x)), Math.max(...ndc.map((p) => p.x))];
    const [y0, y1] = [Math.min(...ndc.map((p) => p.y)), Math.max(...ndc.map((p) => p.y))];
    const halfH = distance * Math.tan(THREE.MathUtils.degToRad(camera.fov) / 2);
    right.setFromMatrixColumn(camera.matrixWorld, 0);
    up.setFromMatrixColumn(camera.matrixWorld, 1);
    target.addScaledVector(right, ((x0 + x1) / 2 - axis.x) * halfH * camera.aspect);
    target.addScaledVector(up, ((y0 + y1) / 2 - axis.y) * halfH);
    distance *= Math.max((x1 - x0) / 2 / (1 - axis.x), (y1 - y0) / 2) / fill;
  }
  return { position: target.clone().addScaledVector(direction, distance), target };
}

/** Whether the visitor asked for less motion (then flights jump and nothing autoplays). */
export function reducedMotion() {
  return Boolean(window.matchMedia?.("(prefers-reduced-motion: reduce)").matches);
}

/** Fly to show `box` filling `fill` of the view (seen from `facing`) in `ms` ms (at once when
 * the visitor prefers reduced motion). */
export function flyTo(stage, box, { fill = 0.5, facing = null, ms = 900 } = {}) {
  const { position, target } = framing(stage, box, fill, facing);
  if (reducedMotion()) ms = 1;
  const p0 = stage.camera.position.clone();
  const t0 = stage.controls.target.clone();
  const start = performance.now();
  return new Promise((resolve) => {
    stage.animate((now) => {
      const k = ease(Math.min((now - start) / ms, 1));
      stage.camera.position.lerpVectors(p0, position, k);
      stage.controls.target.lerpVectors(t0, target, k);
      stage.controls.update();
      if (k < 1) return true;
      resolve();
      return false;
    });
  });
}

/** The selected feature: bright edges around it, filled translucent orange when small. */
export class Highlight {
  constructor(scene) {
    const geometry = new THREE.BoxGeometry(1, 1, 1);
    this.fill = new THREE.Mesh(geometry, new THREE.MeshBasicMaterial({ color: 0xff8a1f, transparent: true, opacity: 0.4, depthWrite: false }));
    this.group = new THREE.Group();
    const edges = new THREE.LineSegments(new THREE.EdgesGeometry(geometry), new THREE.LineBasicMaterial({ color: 0xff6a00, depthTest: false }));
    edges.renderOrder = 4; // drawn over what hides it
    this.group.add(this.fill, edges);
    this.group.visible = false;
    scene.add(this.group);
  }

  show(box) {
    this.group.visible = Boolean(box);
    if (!box) return;
    const grown = box.clone().expandByScalar(0.6);
    grown.getCenter(this.group.position);
    grown.getSize(this.group.scale);
    this.fill.visible = Math.max(this.group.scale.x, this.group.scale.y, this.group.scale.z) < 40; // a unit
  }
}
