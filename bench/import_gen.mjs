// Generates the bench/import list: N persons (default 620,623, round 1's
// count) as a UTF-8 CSV with the header a big-data list carries —
// 姓名,身份证号,手机,性别,来源地,抵达日期,交通方式,小区,地址 — with valid
// resident IDs (GB 11643 check characters; mostly 640106 Jinfeng, some from
// elsewhere), a phone on most rows, an origin and arrival date on about one
// row in seven, and a compound (by code, from COMPOUNDS: one code a line) on
// about two rows in three, a third of those with a household address.
// Deterministic for a seed. Usage:
//   node bench/import_gen.mjs OUT.csv COMPOUNDS.txt [N] [SEED]
import fs from 'node:fs';

const [out, compoundsFile, nArg, seedArg] = process.argv.slice(2);
if (!out || !compoundsFile) {
  console.error('usage: node bench/import_gen.mjs OUT.csv COMPOUNDS.txt [N] [SEED]');
  process.exit(2);
}
const N = Number(nArg || 620623);
let seed = Number(seedArg || 20200215) >>> 0;
// An empty COMPOUNDS file: a list without the compound column filled (an import
// into a fresh `cordon init` database, which has no compounds).
const compounds = fs.readFileSync(compoundsFile, 'utf8').split('\n').map((s) => s.trim()).filter(Boolean);

// xorshift32: the same file for the same seed
function rnd() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
function checkChar(s17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (s17.charCodeAt(i) - 48) * W[i];
  return CHECK[sum % 11];
}

// Address codes: Jinfeng mostly, the rest of Yinchuan and Ningxia, and
// provinces people came back from.
const HOME = '640106';
const OTHER = ['640104', '640105', '640121', '640122', '640181', '640202', '640302', '640402',
  '420102', '420106', '420111', '421002', '110105', '310115', '440305', '610113', '620102',
  '150102', '510107', '330106'];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏斌宇浩凯佳欣怡晨阳俊海波宁飞慧琳雪梅晓东亮春燕';
const ORIGINS = ['湖北省武汉市', '420100', '武汉', '湖北省孝感市', '北京市', '上海市', '广东省深圳市',
  '陕西省西安市', '甘肃省兰州市', '内蒙古自治区呼和浩特市', '宁夏回族自治区石嘴山市', '四川省成都市', '浙江省杭州市'];
const MODES = ['火车', '汽车', '飞机', '自驾', '高铁', '其他'];

const seen = new Set();
const day0 = Date.UTC(1935, 0, 1);
const days = Math.floor((Date.UTC(2019, 11, 31) - day0) / 86400000);
function residentId() {
  for (;;) {
    const code = rnd() < 0.85 ? HOME : pick(OTHER);
    const d = new Date(day0 + Math.floor(rnd() * days) * 86400000);
    const ymd = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
    const seq = String(Math.floor(rnd() * 1000)).padStart(3, '0');
    const s17 = code + ymd + seq;
    if (seen.has(s17)) continue;
    seen.add(s17);
    return s17 + checkChar(s17);
  }
}

const fd = fs.openSync(out, 'w');
let chunk = ['姓名,身份证号,手机,性别,来源地,抵达日期,交通方式,小区,地址'];
let household = null; // {compound, address, left}
for (let i = 0; i < N; i++) {
  const id = residentId();
  const name = pick(SURNAMES) + pick(GIVEN) + (rnd() < 0.6 ? pick(GIVEN) : '');
  const phone = rnd() < 0.9 ? `1${3 + Math.floor(rnd() * 7)}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}` : '';
  const sex = (id.charCodeAt(16) - 48) % 2 ? '男' : '女';
  let origin = '', arrival = '', mode = '';
  if (rnd() < 0.15) {
    origin = pick(ORIGINS);
    arrival = `2020-${rnd() < 0.6 ? '01' : '02'}-${String(1 + Math.floor(rnd() * 14)).padStart(2, '0')}`;
    mode = pick(MODES);
  }
  let compound = '', address = '';
  if (household && household.left > 0) {
    household.left -= 1;
    ({ compound, address } = household);
  } else if (rnd() < 0.67 && compounds.length) {
    compound = pick(compounds);
    if (rnd() < 0.33) {
      address = `${1 + Math.floor(rnd() * 30)}号楼${1 + Math.floor(rnd() * 4)}单元${1 + Math.floor(rnd() * 18)}0${1 + Math.floor(rnd() * 4)}室`;
      household = { compound, address, left: Math.floor(rnd() * 4) };
    }
  }
  chunk.push(`${name},${id},${phone},${sex},${origin},${arrival},${mode},${compound},${address}`);
  if (chunk.length >= 20000) {
    fs.writeSync(fd, chunk.join('\n') + '\n');
    chunk = [];
  }
}
if (chunk.length) fs.writeSync(fd, chunk.join('\n') + '\n');
fs.closeSync(fd);
