// Picking: a ray from the pointer to the first face hit, and that face's feature id.
import * as THREE from "three";

export class Picker {
  constructor(stage, model) {
    this.stage = stage;
    this.model = model;
    this.raycaster = new THREE.Raycaster();
    this.pointer = new THREE.Vector2();
  }

  /** The feature id under client coordinates (x, y), or null. */
  pick(x, y) {
    const rect = this.stage.renderer.domElement.getBoundingClientRect();
    this.pointer.set(((x - rect.left) / rect.width) * 2 - 1, -((y - rect.top) / rect.height) * 2 + 1);
    this.raycaster.setFromCamera(this.pointer, this.stage.camera);
    const hits = this.raycaster.intersectObjects(this.model.pickables(), false);
    for (const hit of hits) {
      const fids = hit.object.userData.fids;
      if (fids && hit.face) return this.model.ids[fids[hit.face.a]];
    }
    return null;
  }

  /**
   * Where on screen (client px) a click lands on the feature: the point of its box nearest the
   * camera, at half its height (a unit's facade, not the slab above it); null if off screen.
   */
  screenPoint(id) {
    const box = this.model.extentOf(id);
    if (!box) return null;
    const point = box.clampPoint(this.stage.camera.position, new THREE.Vector3());
    point.y = (box.min.y + box.max.y) / 2;
    const p = point.project(this.stage.camera);
    if (p.z > 1 || Math.abs(p.x) > 1 || Math.abs(p.y) > 1) return null;
    const rect = this.stage.renderer.domElement.getBoundingClientRect();
    return { x: rect.left + ((p.x + 1) / 2) * rect.width, y: rect.top + ((1 - p.y) / 2) * rect.height };
  }

  /**
   * Call `onClick(id)` on a click that is not a drag, `onHover(id, x, y)` as the pointer moves
   * (throttled; id null over empty space).
   */
  listen({ onClick, onHover }) {
    const el = this.stage.renderer.domElement;
    let down = null;
    el.addEventListener("pointerdown", (e) => (down = { x: e.clientX, y: e.clientY }));
    el.addEventListener("pointerup", (e) => {
      if (down && Math.hypot(e.clientX - down.x, e.clientY - down.y) < 5) onClick(this.pick(e.clientX, e.clientY));
      down = null;
    });
    let last = 0, timer = 0;
    el.addEventListener("pointermove", (e) => {
      if (e.buttons) return;
      const run = () => {
        last = performance.now();
        onHover(this.pick(e.clientX, e.clientY), e.clientX, e.clientY);
      };
      clearTimeout(timer);
      if (performance.now() - last > 120) run();
      else timer = setTimeout(run, 120);
    });
    el.addEventListener("pointerleave", () => {
      clearTimeout(timer);
      onHover(null, 0, 0);
    });
  }
}
