// `npm test` runs this first: the integration tests read the documents back with real tools
// (pdftotext/pdffonts from poppler-utils, qpdf, LibreOffice for the xlsx and for the .xls/.doc/.docx the
// import reads, Chromium for the PDF).
// On Debian/Ubuntu as root they are installed; elsewhere we say exactly what is missing.
import { existsSync } from 'node:fs';
import { aptInstall, canApt, hasCommand } from './apt.js';

// LibreOffice Writer converts the .doc/.docx the import tests read; Debian packages it apart from Calc.
const DEBIAN_LO = '/usr/lib/libreoffice';
const writerPresent = () => !existsSync(DEBIAN_LO) || existsSync(`${DEBIAN_LO}/share/registry/writer.xcd`);
const tools = [
  { cmd: 'pdftotext', pkg: 'poppler-utils' },
  { cmd: 'pdffonts', pkg: 'poppler-utils' },
  { cmd: 'qpdf', pkg: 'qpdf' },
  { cmd: 'soffice', pkg: 'libreoffice-calc-nogui' },
  { cmd: 'soffice', pkg: 'libreoffice-writer-nogui', present: writerPresent },
  { cmd: 'git', pkg: 'git' },
];
const present = (t) => hasCommand(t.cmd) && (!t.present || t.present());
const missing = tools.filter((t) => !present(t));
const pkgs = [...new Set(missing.map((t) => t.pkg))];
if (pkgs.length && canApt()) aptInstall(pkgs, 'tools the tests use to read PDFs, spreadsheets and documents back');
const still = tools.filter((t) => !present(t));
if (still.length) {
  process.stderr.write(
    `jxmb: the tests need ${still.map((t) => t.cmd).join(', ')}; ` +
      `install ${[...new Set(still.map((t) => t.pkg))].join(' ')} ` +
      '(Debian/Ubuntu package names; macOS: brew install poppler qpdf && brew install --cask libreoffice)\n',
  );
  process.exit(1);
}
