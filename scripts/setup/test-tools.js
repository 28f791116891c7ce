// `npm test` runs this first: the integration tests read the documents back with real tools
// (pdftotext/pdffonts from poppler-utils, qpdf, LibreOffice for the xlsx, Chromium for the PDF).
// On Debian/Ubuntu as root they are installed; elsewhere we say exactly what is missing.
import { aptInstall, canApt, hasCommand } from './apt.js';

const tools = [
  { cmd: 'pdftotext', pkg: 'poppler-utils' },
  { cmd: 'pdffonts', pkg: 'poppler-utils' },
  { cmd: 'qpdf', pkg: 'qpdf' },
  { cmd: 'soffice', pkg: 'libreoffice-calc-nogui' },
  { cmd: 'git', pkg: 'git' },
];
const missing = tools.filter((t) => !hasCommand(t.cmd));
const pkgs = [...new Set(missing.map((t) => t.pkg))];
if (pkgs.length && canApt()) aptInstall(pkgs, 'tools the tests use to read PDFs and spreadsheets back');
const still = tools.filter((t) => !hasCommand(t.cmd));
if (still.length) {
  process.stderr.write(
    `jxmb: the tests need ${still.map((t) => t.cmd).join(', ')}; ` +
      `install ${[...new Set(still.map((t) => t.pkg))].join(' ')} ` +
      '(Debian/Ubuntu package names; macOS: brew install poppler qpdf && brew install --cask libreoffice)\n',
  );
  process.exit(1);
}
