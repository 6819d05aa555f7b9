// The three.js stage: renderer, camera, orbit controls, sky light and sun, a wide ground and
// Dishui Lake for context. Frames are drawn on demand (an idle page costs no CPU).
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";
import { CSS2DRenderer } from "three/addons/renderers/CSS2DRenderer.js";

const LAKE = { lon: 121.929, lat: 30.909, radius: 1250 }; // Dishui Lake (fact S4)
const SOFTWARE = /SwiftShader|llvmpipe|softpipe|Software|Basic Render/i;
const FRAME_BUDGET_MS = 33; // 30 frames a second while the camera moves
const RATIO_STEP = Math.SQRT1_2; // each step halves the pixels drawn

/**
 * Whether WebGL draws in software (SwiftShader, llvmpipe: shading on the CPU). A throwaway
 * context asks; the browser's GPU process is started by it either way, so it costs little.
 */
export function softwareWebGL() {
  const gl = document.createElement("canvas").getContext("webgl2");
  if (!gl) return false;
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  const name = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : "";
  gl.getExtension("WEBGL_lose_context")?.loseContext();
  return SOFTWARE.test(String(name));
}

export class Stage {
  constructor(container) {
    this.container = container;
    // multisampling costs a software renderer a third of each frame (4 samples a pixel on the
    // CPU): edges go unsmoothed there, a GPU smooths them
    this.software = softwareWebGL();
    this.renderer = new THREE.WebGLRenderer({ antialias: !this.software, alpha: true, preserveDrawingBuffer: true });
    // adaptive resolution (as Cesium and Potree do): while the camera moves and frames miss
    // the budget, the drawing buffer has fewer pixels, step by step down to a sixteenth of the
    // full count (never under a quarter of the CSS pixels' resolution); at rest, full again
    this.fullRatio = Math.min(window.devicePixelRatio, 2);
    this.floorRatio = Math.max(this.fullRatio / 4, 0.25);
    this.ratio = this.fullRatio; // the pixel ratio of the next frame
    this.renderer.setPixelRatio(this.fullRatio);
    this.renderer.outputColorSpace = THREE.SRGBColorSpace;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;
    this.renderer.toneMappingExposure = 1.05;
    this.renderer.localClippingEnabled = true; // buildings rise storey by storey
    this.renderer.shadowMap.enabled = true;
    this.renderer.shadowMap.autoUpdate = false; // the sun stands still: redraw shadows on change
    this.renderer.shadowMap.type = THREE.PCFShadowMap;
    this.renderer.setClearColor(0x000000, 0);
    container.appendChild(this.renderer.domElement);

    this.labels = new CSS2DRenderer();
    this.labels.domElement.style.cssText = "position:absolute;inset:0;pointer-events:none";
    container.appendChild(this.labels.domElement);

    this.scene = new THREE.Scene();
    this.scene.fog = new THREE.Fog(0xdde7ee, 5000, 14000);
    this.camera = new THREE.PerspectiveCamera(32, 1, 30, 30000);
    this.camera.position.set(900, 1500, 2300);
    this.controls = new OrbitControls(this.camera, this.renderer.domElement);
    this.controls.maxPolarAngle = THREE.MathUtils.degToRad(84);
    this.controls.minDistance = 60;
    this.controls.maxDistance = 9000;
    this.controls.screenSpacePanning = false;
    this.controls.addEventListener("change", () => this.requestRender());
    // the camera is moved by a drag or touch (OrbitControls' start..end) or a wheel (the
    // controls' start and end come at each of its events: it counts until 200 ms after the last)
    this.dragging = false;
    this.wheeling = false;
    this.frameCosts = []; // ms of the last frames while interacting (at the current ratio)
    this.controls.addEventListener("start", () => {
      if (!this.interacting) [this.frameCosts, this.lastFrameAt, this.skipFrames] = [[], undefined, 0];
      this.dragging = true;
    });
    this.controls.addEventListener("end", () => {
      this.dragging = false;
      setTimeout(() => this.settle()); // after this event's other listeners (the wheel's below)
    });
    this.renderer.domElement.addEventListener("wheel", () => {
      this.wheeling = true;
      clearTimeout(this.wheelTimer);
      this.wheelTimer = setTimeout(() => {
        this.wheeling = false;
        this.settle();
      }, 200);
    }, { passive: true });

    this.addLights();
    this.frameCallbacks = new Set();
    this.pending = false;
    this.frames = 0; // frames drawn since the page opened (the bench counts them while orbiting)
    new ResizeObserver(() => this.resize()).observe(container);
    this.resize();
  }

  addLights() {
    this.scene.add(new THREE.HemisphereLight(0xeef4fb, 0x9aa88c, 1.6));
    const sun = new THREE.DirectionalLight(0xfff3e2, 2.4);
    sun.position.set(-1400, 2100, 1300); // south-west, high (scene z points south)
    sun.castShadow = true;
    sun.shadow.mapSize.set(2048, 2048);
    Object.assign(sun.shadow.camera, { left: -1500, right: 1500, top: 1100, bottom: -1100, near: 100, far: 6000 });
    sun.shadow.camera.updateProjectionMatrix();
    sun.shadow.bias = -0.0004;
    sun.shadow.normalBias = 0.6;
    this.scene.add(sun, sun.target);
    this.sun = sun;
  }

  /** A wide plain below the campus slabs and Dishui Lake east of it (from the GLB origin). */
  addSurroundings(origin) {
    const plain = new THREE.Mesh(
      new THREE.CircleGeometry(16000, 96),
      new THREE.MeshStandardMaterial({ color: 0xd4dacb, roughness: 1 }),
    );
    plain.rotation.x = -Math.PI / 2;
    plain.position.y = -1.2;
    plain.receiveShadow = true;
    this.scene.add(plain);
    if (!origin || !Number.isFinite(origin.lon)) return;
    const east = (LAKE.lon - origin.lon) * 111320 * Math.cos(THREE.MathUtils.degToRad(origin.lat));
    const south = -(LAKE.lat - origin.lat) * 110950;
    const lake = new THREE.Mesh(
      new THREE.CircleGeometry(LAKE.radius, 128),
      new THREE.MeshStandardMaterial({ color: 0x8fc3d6, roughness: 0.35, metalness: 0.05 }),
    );
    lake.rotation.x = -Math.PI / 2;
    lake.position.set(east, -1.0, south);
    lake.receiveShadow = true;
    this.scene.add(lake);
    this.lake = lake;
  }

  resize() {
    const { clientWidth: w, clientHeight: h } = this.container;
    if (!w || !h) return;
    // a canvas given its own size again reallocates its drawing buffer: only on a change
    if (w !== this.size?.[0] || h !== this.size?.[1]) this.renderer.setSize(w, h, false);
    this.size = [w, h];
    this.renderer.domElement.style.width = `${w}px`;
    this.renderer.domElement.style.height = `${h}px`;
    this.labels.setSize(w, h);
    this.camera.aspect = w / h;
    // the side panel covers the left: centre the picture in what is left of the window
    const inset = w > 900 ? this.insetLeft || 0 : 0;
    if (inset) this.camera.setViewOffset(w, h, -inset / 2, 0, w, h);
    else this.camera.clearViewOffset();
    this.camera.updateProjectionMatrix();
    this.onResize?.();
    this.requestRender();
  }

  /** Call `fn(time)` before every frame until it returns false (animations). */
  animate(fn) {
    this.frameCallbacks.add(fn);
    this.requestRender();
  }

  /** Shadows are drawn again with the next frame (after buildings rise or are coloured). */
  updateShadows() {
    this.renderer.shadowMap.needsUpdate = true;
    this.requestRender();
  }

  get interacting() {
    return this.dragging || this.wheeling;
  }

  /** The camera stopped: the full pixel ratio again and one full-resolution frame at once. */
  settle() {
    if (this.interacting) return;
    this.frameCosts = [];
    if (this.ratio === this.fullRatio) return;
    this.ratio = this.fullRatio;
    this.requestRender();
  }

  requestRender() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame((time) => this.frame(time));
  }

  /**
   * A frame's cost while interacting: the time since the frame before (a busy GPU process holds
   * the next frame back: SwiftShader draws on the CPU) or the drawing calls' if longer. When the
   * lesser of the last two misses the budget, the pixel ratio steps down: by 1/√2 or, when frames
   * are far over the budget, as far as their cost says (pixels ∝ ratio²), to its floor. A new
   * ratio reallocates the drawing buffer: the interval after its first frame is not counted.
   */
  adaptResolution(began, drawMs) {
    const since = this.lastFrameAt;
    this.lastFrameAt = this.interacting ? began : undefined;
    if (!this.interacting || since === undefined) return; // the first frame of a move: no interval
    if (this.skipFrames > 0) return void (this.skipFrames -= 1);
    this.frameCosts.push(Math.max(began - since, drawMs));
    if (this.frameCosts.length < 2) return;
    const cost = Math.min(...this.frameCosts);
    this.frameCosts.shift();
    if (cost <= FRAME_BUDGET_MS || this.ratio <= this.floorRatio) return;
    const step = Math.min(RATIO_STEP, Math.sqrt(FRAME_BUDGET_MS / cost));
    this.ratio = Math.max(this.ratio * step, this.floorRatio); // from the next frame on
    this.frameCosts = []; // frames at the new ratio decide the next step
    this.skipFrames = 1;
  }

  frame(time) {
    this.pending = false;
    const began = performance.now();
    for (const fn of [...this.frameCallbacks]) {
      if (fn(time) === false) this.frameCallbacks.delete(fn);
    }
    this.beforeRender?.(); // streamed tiles: load and show what this view needs
    // a new size clears the canvas: changed only right before it is drawn again
    if (this.renderer.getPixelRatio() !== this.ratio) this.renderer.setPixelRatio(this.ratio);
    this.renderer.render(this.scene, this.camera);
    this.frames += 1;
    this.beforeLabels?.();
    this.labels.render(this.scene, this.camera);
    this.adaptResolution(began, performance.now() - began);
    if (this.frameCallbacks.size) this.requestRender();
    this.onFrame?.();
  }

  /** Camera position and target, rounded to the metre: for the URL. */
  cameraState() {
    const p = this.camera.position, t = this.controls.target;
    return [p.x, p.y, p.z, t.x, t.y, t.z].map((v) => Math.round(v));
  }

  setCamera([x, y, z, tx, ty, tz]) {
    this.camera.position.set(x, y, z);
    this.controls.target.set(tx, ty, tz);
    this.controls.update();
    this.requestRender();
  }
}
