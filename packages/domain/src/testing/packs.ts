/** A sixth city, written by a policy author: only what its (fictional) regulation says. */
export const NINGBO_PACK = `
format: sscard-rule-pack/1
code: NB
divisionCode: '330200'
name: { zh: 宁波市, en: Ningbo }
version: '2026.1'
regulation:
  title: 宁波市社会保障卡管理办法（测试用）
  documentNumber: 测试〔2026〕1号
  issuer: 宁波市人民政府
  issuedOn: '2026-01-15'
  trial: false
effectiveFrom:
  value: '2026-03-01'
  source: { rule: NB-30, quote: 本办法自2026年3月1日起施行 }
loss:
  temporary:
    termDays:
      value: 7
      source: { rule: NB-12, quote: 临时挂失的有效期为7日 }
    autoRestore:
      value: true
      source: { rule: NB-12, quote: 有效期届满后社会保障功能自动恢复 }
fees:
  replacement:
    value: { fen: 1500 }
    source: { rule: NB-20, quote: 补领社会保障卡的收取工本费15元 }
`;
