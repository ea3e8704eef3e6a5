// Fetches the wasm pieces of this page's islands in one response per island
// (`/pkg/islands/<Island>`, see src/http/assets.rs) instead of one request per piece. wasm-split's
// loader asks for each piece with `fetch`; this answers those requests from the bundles and
// lets every other request through, including a piece no bundle holds.
(() => {
  const PIECE = /\/pkg\/((?:chunk|split)_\w+)\.wasm$/;
  const network = window.fetch.bind(window);
  let bundles;

  // Layout (`pack` in assets.rs): the index's length (u32, little-endian), the index (JSON
  // [name, length] pairs), then the pieces in its order.
  const unpack = (buffer, pieces) => {
    const indexLength = new DataView(buffer).getUint32(0, true);
    const index = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, indexLength)));
    let offset = 4 + indexLength;
    for (const [name, length] of index) {
      pieces.set(name, new Uint8Array(buffer, offset, length));
      offset += length;
    }
  };

  const islandsOnPage = () => [
    ...new Set(
      [...document.querySelectorAll("leptos-island[data-component]")].map((island) =>
        island.dataset.component.replace(/_\d+$/, ""),
      ),
    ),
  ];

  const load = () =>
    (bundles ??= Promise.all(
      islandsOnPage().map((island) =>
        network(`/pkg/islands/${island}`)
          .then((response) => (response.ok ? response.arrayBuffer() : null))
          .catch(() => null),
      ),
    ).then((buffers) => {
      const pieces = new Map();
      for (const buffer of buffers) {
        try {
          if (buffer) unpack(buffer, pieces);
        } catch (error) {
          console.warn("an island bundle could not be read; its pieces load one by one", error);
        }
      }
      return pieces;
    }));

  window.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const name = PIECE.exec(new URL(url, location.href).pathname)?.[1];
    if (!name) return network(input, init);
    return load().then((pieces) => {
      const bytes = pieces.get(name);
      if (!bytes) return network(input, init);
      pieces.delete(name);
      return new Response(bytes, { headers: { "Content-Type": "application/wasm" } });
    });
  };

  // Start as soon as the islands are known, alongside the main piece, not when the first
  // island hydrates.
  document.addEventListener("DOMContentLoaded", load, { once: true });
})();
