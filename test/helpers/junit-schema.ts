// JUnit XML checked against the Jenkins xUnit dialect (test/schemas/junit-10.xsd) by libxml2's
// xmllint (compiled to WebAssembly: no system package needed).
import { readFile } from 'node:fs/promises';
import { validateXML } from 'xmllint-wasm';

const XSD = new URL('../schemas/junit-10.xsd', import.meta.url);

/** xmllint's complaints about `xml`; empty when it is valid. */
export async function junitSchemaErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit-10.xsd', contents: await readFile(XSD, 'utf8') }],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}
