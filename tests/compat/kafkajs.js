#!/usr/bin/env node
// KafkaJS 2.2.4 (npm, pure JavaScript) against a broker.
//   usage: node tests/compat/kafkajs.js BOOTSTRAP TOPIC_PREFIX
// Prints `ok <what>` or `FAIL <what>: detail` per check; exits 1 if any failed.
// Every check uses its own topic. KafkaJS consumes only through consumer groups, so each consuming
// check uses its own group. Order is asserted only for one producer writing one partition.
'use strict'
const crypto = require('crypto')
const { Kafka, logLevel, CompressionTypes, ConfigResourceTypes } = require('kafkajs')
const { version } = require('kafkajs/package.json')

if (process.argv.length !== 4) {
  console.error('usage: kafkajs.js BOOTSTRAP TOPIC_PREFIX')
  process.exit(2)
}
const [bootstrap, prefix] = process.argv.slice(2)
console.log(`kafkajs ${version}`)

const kafka = new Kafka({
  clientId: `${prefix}-kafkajs`,
  brokers: [bootstrap],
  connectionTimeout: 10000,
  requestTimeout: 60000,
  retry: { retries: 10 },
  logLevel: logLevel.WARN,
  logCreator: () => ({ level, log }) => console.log(`    kafkajs ${level}: ${log.message}${log.error ? ` (${log.error})` : ''}`),
})

const failures = []
async function check (what, fn) {
  const started = Date.now()
  try {
    await fn()
    console.log(`ok ${what} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
  } catch (e) {
    console.log(`FAIL ${what}: ${String(e && e.message ? e.message : e).replace(/\n/g, ' | ')}`)
    if (e && e.stack) console.log(e.stack.split('\n').slice(1, 6).map(l => `    ${l.trim()}`).join('\n'))
    failures.push(what)
  }
}
function expect (condition, message) { if (!condition) throw new Error(message) }
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))
async function waitUntil (probe, what, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs
  let delay = 50; let last
  for (;;) {
    try {
      const value = await probe()
      if (value) return value
    } catch (e) { last = e }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`)
    await sleep(delay)
    delay = Math.min(delay * 2, 500)
  }
}
function expectContiguous (offsets, start, what) {
  offsets.forEach((o, i) => expect(o === start + i, `${what}: offset ${o} at position ${i}, expected ${start + i}`))
}
function expectSameSet (received, sent, what) {
  const r = new Set(received); const s = new Set(sent)
  const missing = [...s].filter(x => !r.has(x)); const unexpected = [...r].filter(x => !s.has(x))
  expect(missing.length === 0 && unexpected.length === 0,
    `${what}: ${missing.length} missing (e.g. ${missing.slice(0, 3)}), ${unexpected.length} unexpected (e.g. ${unexpected.slice(0, 3)})`)
  expect(received.length >= sent.length, `${what}: received ${received.length} < sent ${sent.length}`)
}

async function withProducer (options, fn) {
  const producer = kafka.producer({ allowAutoTopicCreation: true, maxInFlightRequests: 1, ...options })
  await producer.connect()
  try { return await fn(producer) } finally { await producer.disconnect() }
}

async function withAdmin (fn) {
  const admin = kafka.admin()
  await admin.connect()
  try { return await fn(admin) } finally { await admin.disconnect() }
}

async function latestOffset (topic, partition = 0) {
  return withAdmin(async admin => Number((await admin.fetchTopicOffsets(topic)).find(p => p.partition === partition).high))
}

// Consumes with a group of its own until `until(messages)` holds. `onMessage` may seek.
async function consume (topic, { fromBeginning = true, until, onMessage, onRunning, timeoutMs = 60000 }) {
  const consumer = kafka.consumer({ groupId: `${topic}-${crypto.randomUUID()}`, maxWaitTimeInMs: 200, retry: { retries: 10 } })
  const messages = []
  await consumer.connect()
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning })
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const m = { partition, offset: Number(message.offset), key: message.key, value: message.value, headers: message.headers, timestamp: Number(message.timestamp) }
        messages.push(m)
        if (onMessage) onMessage(m, consumer)
      },
    })
    if (onRunning) await onRunning(consumer, messages)
    await waitUntil(() => until(messages), `records of ${topic} (have ${messages.length})`, timeoutMs)
    return messages
  } finally {
    await consumer.disconnect()
  }
}

const str = b => (b === null || b === undefined ? null : b.toString())
const simpleRecords = (n, tag) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: `${tag}-${i}`, headers: { h: `hv${i}` }, partition: 0 }))

async function main () {
  await check('metadata lists the broker', async () => {
    const cluster = await withAdmin(admin => admin.describeCluster())
    const port = Number(bootstrap.split(':').pop())
    expect(cluster.brokers.some(b => b.port === port), `bootstrap port not among ${JSON.stringify(cluster.brokers)}`)
    expect(cluster.brokers.some(b => b.nodeId === cluster.controller), `controller ${cluster.controller} is not a listed broker`)
  })

  const adminTopic = `${prefix}-admin`
  await check('admin create topics (3 partitions, retention.ms)', async () => {
    const created = await withAdmin(admin => admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic: adminTopic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }],
    }))
    expect(created === true, `createTopics returned ${created}`)
    const md = await withAdmin(admin => admin.fetchTopicMetadata({ topics: [adminTopic] }))
    expect(md.topics[0].partitions.map(p => p.partitionId).sort().join() === '0,1,2', `partitions ${JSON.stringify(md.topics[0].partitions)}`)
  })

  await check('admin create topics reports an existing topic', async () => {
    const created = await withAdmin(admin => admin.createTopics({ topics: [{ topic: adminTopic, numPartitions: 1 }] }))
    expect(created === false, `createTopics of an existing topic returned ${created}`)
  })

  await check('admin describe configs', async () => {
    const result = await withAdmin(admin => admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: adminTopic }] }))
    const entries = Object.fromEntries(result.resources[0].configEntries.map(e => [e.configName, e.configValue]))
    expect(result.resources[0].errorCode === 0, `error ${result.resources[0].errorCode}`)
    expect(entries['retention.ms'] === '3600000', `retention.ms = ${entries['retention.ms']}`)
    expect('cleanup.policy' in entries, `no cleanup.policy among ${Object.keys(entries).slice(0, 10)}`)
  })

  await check('produce to and consume from partition 2', async () => {
    await withProducer({}, p => p.send({ topic: adminTopic, acks: -1, messages: simpleRecords(20, 'p2').map(r => ({ ...r, partition: 2 })) }))
    const got = await consume(adminTopic, { until: ms => ms.length >= 20 })
    expect(got.every(m => m.partition === 2), 'record from another partition')
    expect(got.map(m => str(m.value)).join() === simpleRecords(20, 'p2').map(r => r.value).join(), 'partition 2 values differ')
  })

  await check('admin delete topics', async () => {
    // a topic of its own that no producer knows, so nothing re-creates it by auto-creation
    const topic = `${prefix}-delete`
    await withAdmin(admin => admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] }))
    await withAdmin(admin => admin.deleteTopics({ topics: [topic], timeout: 30000 }))
    await waitUntil(async () => !(await withAdmin(admin => admin.listTopics())).includes(topic), 'the topic to disappear')
  })

  for (const acks of [0, 1, -1]) {
    await check(`produce acks=${acks} with keys and headers, consume from earliest`, async () => {
      const topic = `${prefix}-acks${acks}`
      const records = simpleRecords(200, `a${acks}`)
      await withProducer({}, p => p.send({ topic, acks, messages: records }))
      // acks=0 records may still be in flight: wait until the log end covers them
      await waitUntil(async () => (await latestOffset(topic)) >= records.length, `${records.length} records visible`)
      const got = await consume(topic, { until: ms => ms.length >= records.length })
      expectContiguous(got.map(m => m.offset), 0, topic)
      const asText = m => `${str(m.key)}|${str(m.value)}|${str(m.headers.h)}`
      expectSameSet(got.map(asText), records.map(r => `${r.key}|${r.value}|${r.headers.h}`), topic)
      if (acks !== 0) expect(got.map(m => str(m.value)).join() === records.map(r => r.value).join(), 'order differs from send order')
    })
  }

  await check('null values, null keys and empty values', async () => {
    const topic = `${prefix}-nulls`
    await withProducer({}, p => p.send({ topic, acks: -1, messages: [{ key: 'tombstone', value: null, partition: 0 }, { key: null, value: 'no-key', partition: 0 }, { key: 'empty', value: '', partition: 0 }] }))
    const got = await consume(topic, { until: ms => ms.length >= 3 })
    const seen = got.map(m => [str(m.key), str(m.value)])
    expect(JSON.stringify(seen) === JSON.stringify([['tombstone', null], [null, 'no-key'], ['empty', '']]), `got ${JSON.stringify(seen)}`)
  })

  await check('large batch: 10,000 records', async () => {
    const topic = `${prefix}-batch`
    const values = Array.from({ length: 10000 }, (_, i) => `r${String(i).padStart(5, '0')}`)
    await withProducer({}, p => p.send({ topic, acks: 1, messages: values.map(v => ({ value: v, partition: 0 })) }))
    const got = await consume(topic, { until: ms => ms.length >= values.length })
    expectContiguous(got.map(m => m.offset), 0, topic)
    expectSameSet(got.map(m => str(m.value)), values, topic)
  })

  await check('a ~900 KB record', async () => {
    const topic = `${prefix}-big`
    const value = crypto.randomBytes(900 * 1024)
    await withProducer({}, p => p.send({ topic, acks: -1, messages: [{ key: 'big', value, partition: 0 }] }))
    const got = await consume(topic, { until: ms => ms.length >= 1 })
    expect(Buffer.compare(got[0].value, value) === 0, `value differs (${got[0].value.length} bytes)`)
  })

  const positions = `${prefix}-positions`
  const base = Math.floor((Date.now() - 3600000) / 1000) * 1000
  const stamps = Array.from({ length: 10 }, (_, i) => base + i * 1000)
  await check('create-time timestamps round-trip', async () => {
    await withProducer({}, p => p.send({ topic: positions, acks: -1, messages: stamps.map((ts, i) => ({ value: `t${i}`, timestamp: String(ts), partition: 0 })) }))
    const got = await consume(positions, { until: ms => ms.length >= 10 })
    expect(got.map(m => m.timestamp).join() === stamps.join(), `timestamps ${got.map(m => m.timestamp)}`)
  })

  await check('offsets by timestamp (ListOffsets)', async () => {
    await withAdmin(async admin => {
      const at = async ts => Number((await admin.fetchTopicOffsetsByTimestamp(positions, ts))[0].offset)
      expect(await at(stamps[0]) === 0, 'first timestamp')
      const mid = await at(stamps[4] + 500)
      expect(mid === 5, `first offset at or after t4+500 ms is ${mid}, expected 5`)
      const after = await at(stamps[9] + 1)
      expect(after === 10 || after === -1, `after the last timestamp: ${after}`)
    })
  })

  await check('earliest and latest offsets', async () => {
    const offsets = await withAdmin(admin => admin.fetchTopicOffsets(positions))
    const p0 = offsets.find(o => o.partition === 0)
    expect(Number(p0.low) === 0 && Number(p0.high) === 10, `offsets ${JSON.stringify(offsets)}`)
  })

  await check('consume from an offset and seek', async () => {
    const phase = { seekedTo8: false, seekedTo1: false }
    const got = await consume(positions, {
      onRunning: consumer => consumer.seek({ topic: positions, partition: 0, offset: '3' }),
      onMessage: (m, consumer) => {
        if (!phase.seekedTo8 && m.offset === 3) { phase.seekedTo8 = true; consumer.seek({ topic: positions, partition: 0, offset: '8' }) } else if (phase.seekedTo8 && !phase.seekedTo1 && m.offset === 8) { phase.seekedTo1 = true; consumer.seek({ topic: positions, partition: 0, offset: '1' }) }
      },
      until: ms => phase.seekedTo1 && ms.some((m, i) => m.offset === 1 && ms.slice(0, i).some(x => x.offset === 8)),
    })
    // Records of a batch fetched before a seek may still be delivered, so only what follows is asserted:
    // after the first 8 (reached by seeking forward) and before 1 comes again (seeking back), nothing from 4..7.
    const first8 = got.findIndex(m => m.offset === 8)
    const again1 = got.findIndex((m, i) => i > first8 && m.offset === 1)
    const between = got.slice(first8 + 1, again1).map(m => m.offset)
    expect(!between.some(o => o >= 4 && o <= 7), `after seeking to 8, records ${between} came before seeking back`)
  })

  await check('consume from latest sees only new records', async () => {
    let i = 0
    const got = await consume(positions, {
      fromBeginning: false,
      // the group's start offset is resolved asynchronously: keep producing until a new record arrives
      onRunning: (consumer, messages) => withProducer({}, async p => {
        const deadline = Date.now() + 60000
        while (messages.length === 0 && Date.now() < deadline) {
          await p.send({ topic: positions, acks: -1, messages: [{ value: `late-${i++}`, partition: 0 }] })
          await sleep(300)
        }
      }),
      until: ms => ms.length >= 1,
    })
    expect(str(got[0].value).startsWith('late-') && got[0].offset >= 10, `got ${str(got[0].value)} at ${got[0].offset}`)
  })

  await check('compression gzip: produce and consume', async () => {
    const topic = `${prefix}-gzip`
    const records = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value: `gzip record ${i} `.repeat(8), partition: 0 }))
    await withProducer({}, p => p.send({ topic, acks: 1, compression: CompressionTypes.GZIP, messages: records }))
    const got = await consume(topic, { until: ms => ms.length >= records.length })
    expectContiguous(got.map(m => m.offset), 0, topic)
    expect(got.map(m => `${str(m.key)}=${str(m.value)}`).join('\n') === records.map(r => `${r.key}=${r.value}`).join('\n'), 'records differ')
  })

  await check('idempotent producer (InitProducerId, sequenced batches)', async () => {
    const topic = `${prefix}-idempotent`
    const records = simpleRecords(500, 'idem')
    await withProducer({ idempotent: true, maxInFlightRequests: 1 }, async p => {
      for (let i = 0; i < records.length; i += 100) await p.send({ topic, acks: -1, messages: records.slice(i, i + 100) })
    })
    const got = await consume(topic, { until: ms => ms.length >= records.length })
    expect(got.map(m => str(m.value)).join() === records.map(r => r.value).join(), 'order or content differs')
  })

  if (failures.length > 0) {
    console.log(`kafkajs: ${failures.length} check(s) FAILED: ${failures.join(', ')}`)
    process.exit(1)
  }
  console.log('kafkajs: all checks passed')
  process.exit(0)
}

main().catch(e => { console.log(`FAIL kafkajs: ${e.stack}`); process.exit(1) })
