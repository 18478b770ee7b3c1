import { viewFromHash, type View } from "./view-route";

/** The view the URL hash names, kept current as the hash changes (links, back button). */
export class CurrentView {
  view: View = $state(viewFromHash(window.location.hash));
  readonly #onHashChange = (): void => {
    this.view = viewFromHash(window.location.hash);
  };

  constructor() {
    window.addEventListener("hashchange", this.#onHashChange);
  }

  dispose(): void {
    window.removeEventListener("hashchange", this.#onHashChange);
  }
}
