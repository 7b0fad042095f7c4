// The text module is internal (not re-exported by index.ts); tests reach it here, in one place.
export { firstInvalidUtf8, LineIndex, decodeInput as decodeInputForTest } from '../../../../src/engine/etl/text';
