// Every label in Chinese and English; `t(key)` in the current language, `applyLabels()` for
// elements marked with data-i18n (text), data-i18n-placeholder and data-i18n-title.
const STRINGS = {
  title: ["信息飞鱼", "Information Flying Fish"],
  subtitle: ["数字孪生 · 上海临港", "Digital twin · Lingang, Shanghai"],
  "mode.visitor": ["参观", "Visit"],
  "mode.leasing": ["招商", "Leasing"],
  "mode.construction": ["建设", "Construction"],
  "mode.facilities": ["设施", "Facilities"],
  "mode.unavailable": ["此服务器未提供该视图", "This server does not offer this view"],
  "search.placeholder": ["搜索楼宇、单元或编号", "Search a building, unit or id"],
  "search.none": ["未找到", "Nothing found for"],
  legend: ["图例", "Legend"],
  share: ["复制链接", "Copy link"],
  copied: ["链接已复制", "Link copied"],
  settings: ["设置", "Settings"],
  "settings.title": ["招商权限", "Leasing access"],
  "settings.hint": ["招商团队令牌:在单元卡片上显示内部字段,仅保存在本标签页。", "Leasing team token: shows internal fields on unit cards. Kept in this tab only."],
  "settings.placeholder": ["访问令牌", "Bearer token"],
  "settings.save": ["保存", "Save"],
  "settings.clear": ["清除", "Forget"],
  "settings.saved": ["已保存(仅本标签页)", "Saved for this tab"],
  "settings.cleared": ["已清除", "Forgotten"],
  play: ["播放 2019–2027", "Play 2019–2027"],
  pause: ["暂停", "Pause"],
  loading: ["正在加载园区…", "Loading the campus…"],
  "visitor.lead": ["约7平方公里的国际数据经济产业园,3.2平方公里核心区,75万平方米的“信息飞鱼”。", "The ~7 km² International Data Economy Industrial Park, its 3.2 km² core and the 750,000 m² Information Flying Fish."],
  "visitor.targets": ["2025年目标进展", "Progress to the 2025 targets"],
  "visitor.enterprises": ["入驻企业 / 100家头部企业", "Enterprises / 100 head enterprises"],
  "visitor.none": ["尚无企业入驻记录", "No enterprises reported yet"],
  "visitor.places": ["重点地点", "Places to see"],
  "visitor.milestone": ["最近里程碑", "Latest milestone"],
  "leasing.lead": ["按状态显示各单元;点击单元查看详情。", "Units by status; click a unit for its card."],
  "leasing.filters": ["可租筛选", "Availability"],
  "leasing.minArea": ["最小面积 m²", "Min. area m²"],
  "leasing.maxArea": ["最大面积 m²", "Max. area m²"],
  "leasing.place": ["区域或地块", "Zone or parcel"],
  "leasing.zone": ["区域", "zone"],
  "leasing.parcel": ["地块", "parcel"],
  "leasing.readyBy": ["可用日期不晚于", "Ready by"],
  "leasing.building": ["楼宇", "Building"],
  "leasing.any": ["全部", "Any"],
  "leasing.apply": ["筛选", "Filter"],
  "leasing.matches": ["个单元符合", "units match"],
  "leasing.legend": ["符合筛选的单元", "Units matching the search"],
  "deal.title": ["保留与签约", "Hold and sign"],
  "deal.tenant": ["租户编号", "Tenant id"],
  "deal.rent": ["租金 元/㎡/天", "Rent 元/m²/day"],
  "deal.start": ["起租日", "Start"],
  "deal.end": ["到期日(不含)", "End (first free day)"],
  "deal.hold": ["保留", "Hold"],
  "deal.held": ["已保留", "Held"],
  "deal.sign": ["签约", "Sign"],
  "deal.preLease": ["预租(楼宇尚未投用)", "Pre-lease (building not in use yet)"],
  "deal.signed": ["已签约", "Signed"],
  "stacking.title": ["楼层堆叠图", "Stacking plan"],
  "stacking.building": ["堆叠图的楼宇", "Building of the stacking plan"],
  "stacking.open": ["打开堆叠图", "Open stacking plan"],
  "stacking.floor": ["楼层", "Floor"],
  "stacking.spaces": ["单元(宽度按面积)", "Spaces (width by area)"],
  "stacking.vacant": ["空置 m²", "Vacant m²"],
  "stacking.vacantOf": ["空置", "vacant"],
  "stacking.until": ["至", "until"],
  "card.stacking": ["楼层堆叠图", "Stacking plan"],
  "kpi.title": ["出租情况(面积)", "Occupancy (area)"],
  "kpi.campus": ["园区", "Campus"],
  "kpi.fish": ["信息飞鱼", "The fish"],
  "kpi.occupied": ["已入驻", "Occupied"],
  "kpi.signed": ["已签约待入驻", "Signed"],
  "kpi.pre_leased": ["预租", "Pre-leased"],
  "kpi.held": ["保留中", "Held"],
  "kpi.vacant": ["空置", "Vacant"],
  "pipeline.title": ["招商管道", "Deal pipeline"],
  "pipeline.loading": ["正在加载…", "Loading…"],
  "pipeline.prospects": ["个意向客户", "prospects"],
  "pipeline.matching": ["个匹配空间已点亮", "matching spaces lit"],
  "pipeline.noRole": ["此令牌无招商权限", "This token has no leasing role"],
  "pipeline.enquiry": ["咨询", "Enquiry"],
  "pipeline.tour": ["看房", "Tour"],
  "pipeline.proposal": ["方案", "Proposal"],
  "pipeline.hold": ["保留", "Hold"],
  "pipeline.signed": ["已签约", "Signed"],
  "pipeline.lost": ["已流失", "Lost"],
  "pipeline.readyBy": ["交付", "ready by"],
  "pipeline.racks": ["个机柜", "racks"],
  "pipeline.units": ["个单元", "units"],
  "pipeline.noProposal": ["暂无相邻单元组合符合面积要求", "No adjacent units together fit its area"],
  "pipeline.legend": ["所选方案的单元", "Units of the chosen proposal"],
  "leasing.absent": ["可租筛选服务暂不可用;以下为按状态着色。", "Availability search is not available yet; colours show unit status."],
  "construction.lead": ["按阶段显示楼宇,延误为红色;悬停查看完成百分比。", "Buildings by stage, late work in red; hover for percent complete."],
  "construction.summary": ["建设概况", "At this date"],
  "construction.begun": ["已开工楼宇", "Buildings begun"],
  "construction.late": ["延误楼宇", "Buildings late"],
  "construction.buildings": ["各楼宇进度", "Buildings"],
  "construction.ghost": ["未开工(虚影)", "Not begun (ghost)"],
  "facilities.lead": ["设施状态实时更新。", "Facility status, updated live."],
  "facilities.live": ["实时", "Live"],
  "facilities.offline": ["实时更新不可用", "Live updates unavailable"],
  "facilities.list": ["设施状态", "Facilities"],
  "facilities.simulated": ["模拟数据：遥测由 twin simulate 生成，并非实测", "Simulated data: telemetry made by twin simulate, not measured"],
  "alarms.title": ["活动告警", "Active alarms"],
  "alarms.none": ["无活动告警", "No active alarms"],
  "alarms.token": ["告警需要运维权限令牌(设置)。", "Alarms need a token with the operations role (settings)."],
  "alarms.offline": ["告警暂不可用", "Alarms unavailable"],
  "alarms.min": ["分钟", "min"],
  "alarms.h": ["小时", "h"],
  "alarms.acknowledged": ["✓ 已确认", "✓ acknowledged"],
  "alarms.escalated": ["▲ 已升级", "▲ escalation level"],
  "alarms.critical": ["紧急", "Critical"],
  "alarms.major": ["重要", "Major"],
  "alarms.warning": ["警告", "Warning"],
  "alarms.info": ["提示", "Info"],
  "heat.title": ["机柜列负载", "Rack-row load"],
  "heat.lead": ["每格一列机柜:实际功率占设计功率的比例(点击查看历史)。", "Each cell a rack row: power drawn against its design (click for its history)."],
  "heat.lt20": ["负载 < 20%", "Load < 20%"],
  "heat.lt40": ["负载 20–40%", "Load 20–40%"],
  "heat.lt60": ["负载 40–60%", "Load 40–60%"],
  "heat.lt80": ["负载 60–80%", "Load 60–80%"],
  "heat.ge80": ["负载 ≥ 80%", "Load ≥ 80%"],
  "heat.none": ["无读数", "No reading"],
  "heat.headroom": ["余量", "headroom"],
  "chart.metric": ["指标", "Metric"],
  "chart.loading": ["正在加载…", "Loading…"],
  "chart.empty": ["此期间无读数", "No readings in this period"],
  "chart.readings": ["个读数", "readings"],
  "chart.token": ["需要运维令牌(设置)才能查看读数", "Readings need an operations token (Settings)"],
  "chart.noMetric": ["该设施不报告指标", "This facility reports no metric"],
  "facility.planned": ["规划中", "Planned"],
  "facility.under_construction": ["建设中", "Under construction"],
  "facility.operational": ["运行中", "Operational"],
  "facility.degraded": ["降级运行", "Degraded"],
  "facility.fault": ["故障", "Fault"],
  "facility.offline": ["离线", "Offline"],
  "facility.maintenance": ["维护中", "Maintenance"],
  "facility.no_power": ["无电", "No power"],
  "facility.lost_redundancy": ["失去冗余(单路供电)", "Lost redundancy (one feed)"],
  "card.facility": ["设施状态", "Facility status"],
  "workOrders.overdue": ["逾期工单", "Overdue work"],
  "workOrders.none": ["此日期无逾期工单", "No overdue work at this date"],
  "workOrders.late.start": ["未按时开工", "Late to start"],
  "workOrders.late.finish": ["未按时完成", "Late to finish"],
  "workOrders.state.open": ["待派工", "Open"],
  "workOrders.state.assigned": ["已派工", "Assigned"],
  "workOrders.state.in_progress": ["处理中", "In progress"],
  "workOrders.state.done": ["已完成", "Done"],
  "workOrders.state.cancelled": ["已取消", "Cancelled"],
  "card.estimate": ["估算", "estimate"],
  "construction.lateGhost": ["未开工且延误(虚影)", "Not begun, late (ghost)"],
  "card.building": ["楼宇", "Building"],
  "card.floor": ["楼层", "Floor"],
  "card.area": ["面积", "Area"],
  "card.ready": ["可用日期", "Ready"],
  "card.stage": ["阶段", "Stage"],
  "card.storeys": ["层数", "Storeys"],
  "card.height": ["高度", "Height"],
  "card.gfa": ["建筑面积", "Floor space"],
  "card.internal": ["内部信息", "Internal"],
  "card.close": ["关闭", "Close"],
  "docs.brochure": ["宣传册 (PDF)", "Brochure (PDF)"],
  "docs.floorPlan": ["楼层平面图", "Floor plan"],
  "card.percent": ["完成", "complete"],
  "card.tokenRejected": ["令牌无效或无招商权限", "Token not accepted for leasing"],
  "card.notFound": ["未找到", "Not found"],
  "card.notFoundHint": ["园区中没有此编号的建筑、楼层或单元。", "The campus has no building, floor or unit with this id."],
  "internal.status": ["状态", "Status"],
  "internal.tenant_name": ["租户", "Tenant"],
  "internal.kind": ["类型", "Held by"],
  "internal.ref": ["编号", "Reference"],
  "internal.until": ["空出日期", "Free from"],
  "stage.design": ["设计", "Design"],
  "stage.foundation": ["基础", "Foundation"],
  "stage.structure": ["主体结构", "Structure"],
  "stage.envelope_mep": ["幕墙与机电", "Envelope and MEP"],
  "stage.acceptance": ["竣工验收", "Completion acceptance"],
  "stage.fit_out": ["装修", "Fit-out"],
  "stage.in_use": ["投用", "In use"],
  "stage.late": ["延误", "Late"],
  "status.planned": ["计划", "planned"],
  "status.in_progress": ["进行中", "in progress"],
  "status.completed": ["已完成", "completed"],
  "tour.start": ["导览", "Tour"],
  "tour.title": ["园区导览", "Campus tour"],
  "tour.step": ["第", "Step"],
  "tour.prev": ["上一步", "Previous"],
  "tour.next": ["下一步", "Next"],
  "tour.autoplay": ["自动播放", "Autoplay"],
  "tour.pause": ["暂停", "Pause"],
  "tour.close": ["关闭导览", "Close tour"],
  "tour.notFound": ["未找到导览步骤", "Tour step not found"],
  "tour.notFoundHint": ["导览中没有步骤", "The tour has no step"],
  "tour.has": ["导览步骤为", "Its steps are"],
  "tour.reduced": ["已按“减少动态效果”设置关闭自动播放", "Autoplay is off: your system asks for reduced motion"],
  sources: ["来源", "Source"],
  "view.label": ["园区三维视图:拖动旋转,滚轮缩放,点击楼宇查看卡片(也可使用面板中的搜索和列表)", "3D view of the campus: drag to orbit, scroll to zoom, click a building for its card (or use search and the lists in the panel)"],
  "modes.label": ["视图", "Views"],
  date: ["日期", "Date"],
  toolbar: ["工具", "Tools"],
  "sheet.more": ["展开", "More"],
  "sheet.less": ["收起", "Less"],
  timebar: ["时间", "Time"],
  "card.land": ["用地面积", "Land area"],
  "card.floorArea": ["楼面面积", "Floor area"],
  "evidence.title": ["现场照片与文件", "Site photos and documents"],
  "evidence.none": ["尚无附件", "Nothing attached yet"],
  "evidence.list": ["按日期排列的附件", "Attachments by date"],
  "evidence.photo": ["照片", "Photo"],
  "evidence.document": ["文件", "Document"],
};

let lang = "en";

export function setLang(value) {
  lang = value === "zh" ? "zh" : "en";
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

export function getLang() {
  return lang;
}

export function t(key) {
  const pair = STRINGS[key];
  return pair ? pair[lang === "zh" ? 0 : 1] : key;
}

/** Both languages of a label, as the API's {zh, en} pairs. */
export function both(key) {
  const pair = STRINGS[key] || [key, key];
  return { zh: pair[0], en: pair[1] };
}

/** A {zh, en} pair from the API in the current language (falls back to the other one). */
export function pick(name) {
  if (!name) return "";
  if (typeof name === "string") return name;
  return (lang === "zh" ? name.zh || name.en : name.en || name.zh) || "";
}

export function applyLabels(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => (el.textContent = t(el.dataset.i18n)));
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => (el.placeholder = t(el.dataset.i18nPlaceholder)));
  root.querySelectorAll("[data-i18n-title]").forEach((el) => (el.title = t(el.dataset.i18nTitle)));
  root.querySelectorAll("[data-i18n-label]").forEach((el) => el.setAttribute("aria-label", t(el.dataset.i18nLabel)));
}

const formats = {};
/** A number in the current language's format. */
export function num(value, digits = 0) {
  const key = `${lang}${digits}`;
  formats[key] ||= new Intl.NumberFormat(lang === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: digits });
  return formats[key].format(value);
}

/** "Stage · 82% complete (estimate)": the percent as the API gives it, labelled when estimated. */
export function stageText(stage, percent, basis) {
  if (percent == null || basis === "none") return t(`stage.${stage}`);
  const note = basis === "estimate" ? ` (${t("card.estimate")})` : "";
  return `${t(`stage.${stage}`)} · ${num(percent)}% ${t("card.percent")}${note}`;
}
