import { createRequire } from "node:module";

/**
 * The DejaVu fonts from the `dejavu-fonts-ttf` package, found by Node's own
 * module resolution (wherever node_modules is), never by a fixed path. PDFKit's
 * built-in fonts are the 14 standard PDF fonts in WinAnsi encoding, which have
 * no Cyrillic and no ą, ę, ł, ś, ź, ż; DejaVu Sans covers Latin Extended,
 * Cyrillic and the arrows and geometric shapes the report draws with
 * (https://dejavu-fonts.github.io/, PDFKit "Fonts": https://pdfkit.org/docs/text.html#fonts).
 */
const require = createRequire(import.meta.url);

export interface ReportFonts {
  regular: string;
  bold: string;
}

let found: ReportFonts | null = null;

export function reportFonts(): ReportFonts {
  found ??= {
    regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
    bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
  };
  return found;
}
