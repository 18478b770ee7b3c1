/** Read by vite-plugin-svelte (the Vite root is this folder) and by svelte-check. */
export default {
  compilerOptions: {
    // Every component uses runes; no legacy reactivity.
    runes: true,
  },
};
