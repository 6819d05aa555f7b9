// Drawn over the campus: the park, core and fish outlines, and labels on points of interest.
import * as THREE from "three";
import { CSS2DObject } from "three/addons/renderers/CSS2DRenderer.js";
import { Line2 } from "three/addons/lines/Line2.js";
import { LineGeometry } from "three/addons/lines/LineGeometry.js";
import { LineMaterial } from "three/addons/lines/LineMaterial.js";
import { pick } from "./i18n.js";

const OUTLINE_STYLE = {
  park: { color: 0x5f7d52, width: 2.5, dashed: false, y: 1.0 },
  core: { color: 0x3f6f86, width: 2.0, dashed: true, y: 1.2 },
  complex: { color: 0x1f7a99, width: 2.0, dashed: false, y: 1.4 },
};

export class Overlay {
  constructor(stage, { pois, outlines }, onPoi) {
    this.stage = stage;
    this.group = new THREE.Group();
    this.materials = [];
    for (const outline of outlines) this.addOutline(outline);
    this.labels = pois.map((poi) => this.addLabel(poi, onPoi));
    stage.scene.add(this.group);
    stage.onResize = () => this.resize();
    stage.beforeLabels = () => this.placeLabels();
    this.resize();
  }

  /** Labels on the right half of the view open to the left, so they stay on screen. */
  placeLabels() {
    const p = new THREE.Vector3();
    for (const label of this.labels) {
      p.copy(label.position).project(this.stage.camera);
      label.center.set(p.x > 0.35 ? 1 : 0, 1);
      label.element.classList.toggle("left", p.x > 0.35);
    }
  }

  addOutline({ kind, ring }) {
    const style = OUTLINE_STYLE[kind];
    if (!style) return;
    const points = [];
    for (const [x, z] of ring) points.push(x, style.y, z);
    const geometry = new LineGeometry().setPositions(points);
    const material = new LineMaterial({
      color: style.color, linewidth: style.width, dashed: style.dashed,
      dashSize: 30, gapSize: 18, transparent: true, opacity: 0.9,
    });
    const line = new Line2(geometry, material);
    if (style.dashed) line.computeLineDistances();
    this.materials.push(material);
    this.group.add(line);
  }

  addLabel(poi, onPoi) {
    const el = document.createElement("button");
    el.className = "poi-label";
    el.type = "button";
    el.addEventListener("click", (e) => {
      e.stopPropagation();
      onPoi(poi);
    });
    const label = new CSS2DObject(el);
    label.position.set(...poi.position);
    label.center.set(0, 1);
    label.userData.poi = poi;
    this.group.add(label);
    return label;
  }

  resize() {
    const size = new THREE.Vector2();
    this.stage.renderer.getSize(size);
    for (const m of this.materials) m.resolution.copy(size);
  }

  /** Labels in the current language; shown in visitor mode only. */
  refresh(mode) {
    for (const label of this.labels) {
      label.element.textContent = pick(label.userData.poi.name);
      label.visible = mode === "visitor";
    }
    this.stage.requestRender();
  }
}
