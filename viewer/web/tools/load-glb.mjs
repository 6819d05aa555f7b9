#!/usr/bin/env node
// Load a .glb with three.js's own GLTFLoader (the viewer's loader) and print what it found
// as JSON: meshes, triangles, the feature-id attribute and the feature table in the extras.
// Usage: node tools/load-glb.mjs FILE.glb ; exits 1 if three.js cannot parse the file.
import { readFile } from "node:fs/promises";
import { GLTFLoader } from "three/addons/loaders/GLTFLoader.js";

const bytes = await readFile(process.argv[2]);
const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
new GLTFLoader().parse(
  buffer,
  "",
  (gltf) => {
    const meshes = [];
    gltf.scene.traverse((o) => o.isMesh && meshes.push(o));
    const withIds = meshes.filter((m) => m.geometry.attributes._feature_id_0);
    const triangles = meshes.reduce((n, m) => n + (m.geometry.index ? m.geometry.index.count : m.geometry.attributes.position.count) / 3, 0);
    const ids = gltf.scene.userData.feature_ids || [];
    console.log(JSON.stringify({ meshes: meshes.length, meshesWithFeatureIds: withIds.length, triangles, features: ids.length, origin: gltf.scene.userData.origin || null }));
  },
  (err) => {
    console.error(`three.js could not load ${process.argv[2]}: ${err.message || err}`);
    process.exit(1);
  },
);
