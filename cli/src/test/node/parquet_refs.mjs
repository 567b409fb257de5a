// Reads a directory of kerchunk Parquet references with hyparquet (an independent Parquet reader)
// and prints them as kerchunk JSON (version 0), resolving each key the way fsspec's
// LazyReferenceMapper does: metadata from .zmetadata["metadata"]; chunk "a/i.j" is row
// (linear C-order index % record_size) of a/refs.<index / record_size>.parq; raw bytes win, a null
// path is no reference, offset and size 0 mean the whole file.
// Byte arrays are read raw (utf8: false); the path column is annotated as a string.
// Usage: node parquet_refs.mjs DIR > refs.json
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet'

const root = process.argv[2]
const zmetadata = JSON.parse(readFileSync(join(root, '.zmetadata'), 'utf8'))
const recordSize = zmetadata.record_size
const refs = {}
for (const [key, value] of Object.entries(zmetadata.metadata)) {
  refs[key] = JSON.stringify(value)
}
for (const [key, zarray] of Object.entries(zmetadata.metadata)) {
  if (!key.endsWith('.zarray')) continue
  const field = key.slice(0, -'/.zarray'.length)
  const grid = zarray.shape.map((s, i) => Math.ceil(s / zarray.chunks[i]))
  const sizes = grid.length ? grid : [1]
  const total = sizes.reduce((a, b) => a * b, 1)
  for (let record = 0; record * recordSize < total; record++) {
    const path = join(root, field, `refs.${record}.parq`)
    if (!existsSync(path)) continue
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(path), utf8: false })
    rows.forEach((row, i) => {
      let linear = record * recordSize + i
      const index = []
      for (let d = sizes.length - 1; d >= 0; d--) {
        index.unshift(linear % sizes[d])
        linear = Math.floor(linear / sizes[d])
      }
      const chunkKey = `${field}/${index.join('.')}`
      if (row.raw !== null && row.raw !== undefined) {
        const bytes = Buffer.from(row.raw)
        refs[chunkKey] = 'base64:' + bytes.toString('base64')
      } else if (row.path !== null && row.path !== undefined) {
        const offset = Number(row.offset)
        const size = Number(row.size)
        refs[chunkKey] = offset === 0 && size === 0 ? [row.path] : [row.path, offset, size]
      }
    })
  }
}
process.stdout.write(JSON.stringify(refs))
