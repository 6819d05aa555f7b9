// Feature colours: the server's colouring of a mode (by id, inherited by descendants, else the
// default of the feature's kind), resolved once per feature into a linear-RGB palette.
import * as THREE from "three";

/**
 * Resolve `coloring` ({colors, defaults, fish_color}) for every feature of `model`.
 * Returns {palette: Float32Array (linear RGB), hex: string[]} indexed like model.ids.
 */
export function resolve(model, coloring) {
  const given = coloring.colors || {};
  const defaults = coloring.defaults || {};
  const hex = new Array(model.ids.length);
  const palette = new Float32Array(model.ids.length * 3);
  const color = new THREE.Color();
  const cache = new Map();
  model.ids.forEach((id, i) => {
    let value = null;
    const parts = id.split("/");
    for (let depth = parts.length; depth > 0 && !value; depth--) value = given[parts.slice(0, depth).join("/")];
    if (!value) {
      const kind = model.kinds[id];
      value = kind === "parcel" && id.startsWith("fish-") && coloring.fish_color ? coloring.fish_color : defaults[kind];
    }
    value ||= "#f4f3ef";
    hex[i] = value;
    if (!cache.has(value)) cache.set(value, color.set(value).toArray()); // sRGB hex -> linear
    palette.set(cache.get(value), i * 3);
  });
  return { palette, hex };
}
