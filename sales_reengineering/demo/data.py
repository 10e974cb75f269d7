"""Static master data of the S Company demo: China's regions and provinces, the dealer channel, the sales
organisation, industries, products and the sales funnel.

Everything here is plain data (no Frappe import), so the deterministic plan (`generator.py`) and pure
tests can use it. Names are Chinese (they become document names); English labels ride along for
descriptions and for readers who do not read Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field

COUNTRY = "China"
COUNTRY_TERRITORY = "China"
"""Root of the demo territory tree (ERPNext's setup wizard creates a territory named after the country)."""


@dataclass(frozen=True)
class Region:
	key: str
	zh: str
	en: str
	agent: str
	"""Key of the general agent (`GENERAL_AGENTS`) that supplies the provincial dealers of this region."""


@dataclass(frozen=True)
class City:
	zh: str
	en: str
	admin_code: str
	"""Six-digit administrative division code, used in unified social credit codes."""
	postcode: str


@dataclass(frozen=True)
class Province:
	key: str
	zh: str
	"""Short name, also the Territory name (e.g. 广东)."""
	full_zh: str
	"""Official name, used as the address state (e.g. 广东省)."""
	en: str
	region: str
	weight: float
	"""Relative share of end customers (rough size of the regional IT market)."""
	cities: tuple[City, ...] = field(default_factory=tuple)
	"""The capital first."""

	@property
	def capital(self) -> City:
		return self.cities[0]

	@property
	def is_municipality(self) -> bool:
		return self.full_zh.endswith("市")


REGIONS: tuple[Region, ...] = (
	Region("north", "华北", "North China", "BJ"),
	Region("northeast", "东北", "Northeast China", "BJ"),
	Region("east", "华东", "East China", "SH"),
	Region("central", "华中", "Central China", "BJ"),
	Region("south", "华南", "South China", "SH"),
	Region("southwest", "西南", "Southwest China", "SH"),
	Region("northwest", "西北", "Northwest China", "BJ"),
)


def _p(key, zh, full_zh, en, region, weight, *cities) -> Province:
	return Province(key, zh, full_zh, en, region, weight, tuple(City(*city) for city in cities))


PROVINCES: tuple[Province, ...] = (
	# 华北 North China
	_p("BJ", "北京", "北京市", "Beijing", "north", 10, ("北京", "Beijing", "110108", "100080")),
	_p("TJ", "天津", "天津市", "Tianjin", "north", 3, ("天津", "Tianjin", "120116", "300450")),
	_p(
		"HE",
		"河北",
		"河北省",
		"Hebei",
		"north",
		3,
		("石家庄", "Shijiazhuang", "130100", "050000"),
		("唐山", "Tangshan", "130200", "063000"),
		("保定", "Baoding", "130600", "071000"),
	),
	_p(
		"SX",
		"山西",
		"山西省",
		"Shanxi",
		"north",
		2,
		("太原", "Taiyuan", "140100", "030000"),
		("大同", "Datong", "140200", "037000"),
	),
	_p(
		"NM",
		"内蒙古",
		"内蒙古自治区",
		"Inner Mongolia",
		"north",
		1.5,
		("呼和浩特", "Hohhot", "150100", "010000"),
		("包头", "Baotou", "150200", "014000"),
	),
	# 东北 Northeast
	_p(
		"LN",
		"辽宁",
		"辽宁省",
		"Liaoning",
		"northeast",
		3,
		("沈阳", "Shenyang", "210100", "110000"),
		("大连", "Dalian", "210200", "116000"),
	),
	_p(
		"JL",
		"吉林",
		"吉林省",
		"Jilin",
		"northeast",
		1.5,
		("长春", "Changchun", "220100", "130000"),
		("吉林", "Jilin", "220200", "132000"),
	),
	_p(
		"HL",
		"黑龙江",
		"黑龙江省",
		"Heilongjiang",
		"northeast",
		1.5,
		("哈尔滨", "Harbin", "230100", "150000"),
		("大庆", "Daqing", "230600", "163000"),
	),
	# 华东 East China
	_p("SH", "上海", "上海市", "Shanghai", "east", 9, ("上海", "Shanghai", "310115", "200120")),
	_p(
		"JS",
		"江苏",
		"江苏省",
		"Jiangsu",
		"east",
		8,
		("南京", "Nanjing", "320100", "210000"),
		("苏州", "Suzhou", "320500", "215000"),
		("无锡", "Wuxi", "320200", "214000"),
		("常州", "Changzhou", "320400", "213000"),
	),
	_p(
		"ZJ",
		"浙江",
		"浙江省",
		"Zhejiang",
		"east",
		7,
		("杭州", "Hangzhou", "330100", "310000"),
		("宁波", "Ningbo", "330200", "315000"),
		("温州", "Wenzhou", "330300", "325000"),
	),
	_p(
		"AH",
		"安徽",
		"安徽省",
		"Anhui",
		"east",
		3,
		("合肥", "Hefei", "340100", "230000"),
		("芜湖", "Wuhu", "340200", "241000"),
	),
	_p(
		"FJ",
		"福建",
		"福建省",
		"Fujian",
		"east",
		3.5,
		("福州", "Fuzhou", "350100", "350000"),
		("厦门", "Xiamen", "350200", "361000"),
		("泉州", "Quanzhou", "350500", "362000"),
	),
	_p(
		"JX",
		"江西",
		"江西省",
		"Jiangxi",
		"east",
		2,
		("南昌", "Nanchang", "360100", "330000"),
		("赣州", "Ganzhou", "360700", "341000"),
	),
	_p(
		"SD",
		"山东",
		"山东省",
		"Shandong",
		"east",
		6,
		("济南", "Jinan", "370100", "250000"),
		("青岛", "Qingdao", "370200", "266000"),
		("烟台", "Yantai", "370600", "264000"),
	),
	# 华中 Central China
	_p(
		"HA",
		"河南",
		"河南省",
		"Henan",
		"central",
		4,
		("郑州", "Zhengzhou", "410100", "450000"),
		("洛阳", "Luoyang", "410300", "471000"),
	),
	_p(
		"HB",
		"湖北",
		"湖北省",
		"Hubei",
		"central",
		4,
		("武汉", "Wuhan", "420100", "430000"),
		("宜昌", "Yichang", "420500", "443000"),
	),
	_p(
		"HN",
		"湖南",
		"湖南省",
		"Hunan",
		"central",
		3.5,
		("长沙", "Changsha", "430100", "410000"),
		("株洲", "Zhuzhou", "430200", "412000"),
	),
	# 华南 South China
	_p(
		"GD",
		"广东",
		"广东省",
		"Guangdong",
		"south",
		10,
		("广州", "Guangzhou", "440100", "510000"),
		("深圳", "Shenzhen", "440300", "518000"),
		("东莞", "Dongguan", "441900", "523000"),
		("佛山", "Foshan", "440600", "528000"),
		("珠海", "Zhuhai", "440400", "519000"),
	),
	_p(
		"GX",
		"广西",
		"广西壮族自治区",
		"Guangxi",
		"south",
		2,
		("南宁", "Nanning", "450100", "530000"),
		("柳州", "Liuzhou", "450200", "545000"),
	),
	_p(
		"HI",
		"海南",
		"海南省",
		"Hainan",
		"south",
		1,
		("海口", "Haikou", "460100", "570000"),
		("三亚", "Sanya", "460200", "572000"),
	),
	# 西南 Southwest
	_p("CQ", "重庆", "重庆市", "Chongqing", "southwest", 3, ("重庆", "Chongqing", "500112", "401120")),
	_p(
		"SC",
		"四川",
		"四川省",
		"Sichuan",
		"southwest",
		5,
		("成都", "Chengdu", "510100", "610000"),
		("绵阳", "Mianyang", "510700", "621000"),
	),
	_p(
		"GZ",
		"贵州",
		"贵州省",
		"Guizhou",
		"southwest",
		2,
		("贵阳", "Guiyang", "520100", "550000"),
		("遵义", "Zunyi", "520300", "563000"),
	),
	_p(
		"YN",
		"云南",
		"云南省",
		"Yunnan",
		"southwest",
		2,
		("昆明", "Kunming", "530100", "650000"),
		("曲靖", "Qujing", "530300", "655000"),
	),
	_p("XZ", "西藏", "西藏自治区", "Tibet", "southwest", 0.5, ("拉萨", "Lhasa", "540100", "850000")),
	# 西北 Northwest
	_p(
		"SN",
		"陕西",
		"陕西省",
		"Shaanxi",
		"northwest",
		3,
		("西安", "Xi'an", "610100", "710000"),
		("宝鸡", "Baoji", "610300", "721000"),
	),
	_p("GS", "甘肃", "甘肃省", "Gansu", "northwest", 1, ("兰州", "Lanzhou", "620100", "730000")),
	_p("QH", "青海", "青海省", "Qinghai", "northwest", 0.5, ("西宁", "Xining", "630100", "810000")),
	_p("NX", "宁夏", "宁夏回族自治区", "Ningxia", "northwest", 0.6, ("银川", "Yinchuan", "640100", "750000")),
	_p(
		"XJ",
		"新疆",
		"新疆维吾尔自治区",
		"Xinjiang",
		"northwest",
		1,
		("乌鲁木齐", "Urumqi", "650100", "830000"),
		("克拉玛依", "Karamay", "650200", "834000"),
	),
)

PROVINCE_BY_KEY: dict[str, Province] = {province.key: province for province in PROVINCES}
REGION_BY_KEY: dict[str, Region] = {region.key: region for region in REGIONS}

# --- Dealer channel ------------------------------------------------------------------------------------

GENERAL_AGENT_TYPE = "General Agent"
PROVINCIAL_DEALER_TYPE = "Provincial Dealer"
PARTNER_TYPES: tuple[str, ...] = (
	GENERAL_AGENT_TYPE,  # 总代理: national general agent, buys from S Company and supplies dealers
	PROVINCIAL_DEALER_TYPE,  # 省级代理: provincial dealer, buys from a general agent
)
DEALER_CUSTOMER_GROUP = "渠道商"  # Dealer


@dataclass(frozen=True)
class Dealer:
	key: str
	name: str
	"""Company name: the Sales Partner and the Customer the dealer buys on."""
	brand_pinyin: str
	province: str
	partner_type: str
	agent: str | None
	"""Key of the supplying general agent; None for the general agents themselves."""
	commission_rate: float


GENERAL_AGENTS: tuple[Dealer, ...] = (
	Dealer("BJ", "北京华信通达科技有限公司", "huaxintongda", "BJ", GENERAL_AGENT_TYPE, None, 3.0),
	Dealer("SH", "上海申联数码科技有限公司", "shenlian", "SH", GENERAL_AGENT_TYPE, None, 3.0),
)

# Provincial dealer per province (none in Beijing and Shanghai, which the general agents cover): (brand,
# pinyin). The dealer sits in the provincial capital.
_DEALER_BRANDS: dict[str, tuple[str, str]] = {
	"TJ": ("津诚", "jincheng"),
	"HE": ("冀联", "jilian"),
	"SX": ("晋科", "jinke"),
	"NM": ("蒙通", "mengtong"),
	"LN": ("辽创", "liaochuang"),
	"JL": ("吉信", "jixin"),
	"HL": ("龙江数码", "longjiangshuma"),
	"JS": ("苏宁达", "suningda"),
	"ZJ": ("浙数", "zheshu"),
	"AH": ("皖通", "wantong"),
	"FJ": ("闽信", "minxin"),
	"JX": ("赣科", "ganke"),
	"SD": ("鲁信", "luxin"),
	"HA": ("豫联", "yulian"),
	"HB": ("楚天", "chutian"),
	"HN": ("湘江", "xiangjiang"),
	"GD": ("粤海", "yuehai"),
	"GX": ("桂网", "guiwang"),
	"HI": ("琼信", "qiongxin"),
	"CQ": ("渝联", "yulian-cq"),
	"SC": ("蜀信", "shuxin"),
	"GZ": ("黔云", "qianyun"),
	"YN": ("滇通", "diantong"),
	"XZ": ("雪域", "xueyu"),
	"SN": ("秦川", "qinchuan"),
	"GS": ("陇原", "longyuan"),
	"QH": ("青科", "qingke"),
	"NX": ("宁联", "ninglian"),
	"XJ": ("天山", "tianshan"),
}


def _provincial_dealers() -> tuple[Dealer, ...]:
	dealers = []
	for province in PROVINCES:
		if province.key not in _DEALER_BRANDS:
			continue
		brand, pinyin = _DEALER_BRANDS[province.key]
		capital = province.capital.zh
		name = (
			f"{capital}{brand}信息技术有限公司"
			if not province.is_municipality
			else f"{capital}市{brand}信息技术有限公司"
		)
		agent = REGION_BY_KEY[province.region].agent
		dealers.append(
			Dealer(f"D-{province.key}", name, pinyin, province.key, PROVINCIAL_DEALER_TYPE, agent, 5.0)
		)
	return tuple(dealers)


PROVINCIAL_DEALERS: tuple[Dealer, ...] = _provincial_dealers()
DEALERS: tuple[Dealer, ...] = GENERAL_AGENTS + PROVINCIAL_DEALERS
GOLD_COMMISSION = 8.0
"""Provincial dealers with at least this commission rate are Gold, the others Silver."""

# --- Sales organisation --------------------------------------------------------------------------------

SALES_ROOT = "Sales Team"
SALES_DIRECTOR = "周振华"
"""National sales director (group node under Sales Team)."""

REGIONAL_MANAGERS: dict[str, str] = {
	"north": "王立军",
	"northeast": "刘长海",
	"east": "陈志明",
	"central": "李国强",
	"south": "黄文斌",
	"southwest": "杨春林",
	"northwest": "马建新",
}

# Key-account reps: (name, province key). The first rep of a province is its Territory manager.
SALES_REPS: tuple[tuple[str, str], ...] = (
	("张伟", "BJ"),
	("李娜", "BJ"),
	("赵磊", "TJ"),
	("孙浩", "HE"),
	("郭晓东", "SX"),
	("高云峰", "NM"),
	("于海洋", "LN"),
	("姜涛", "JL"),
	("宋佳", "HL"),
	("吴敏", "SH"),
	("徐静", "SH"),
	("朱建平", "JS"),
	("沈丽华", "ZJ"),
	("许志刚", "AH"),
	("林晓燕", "FJ"),
	("邓强", "JX"),
	("曹磊", "SD"),
	("冯军", "HA"),
	("胡斌", "HB"),
	("彭丽", "HN"),
	("梁志勇", "GD"),
	("何晓明", "GD"),
	("韦海", "GX"),
	("符晓婷", "HI"),
	("谭勇", "CQ"),
	("罗杰", "SC"),
	("袁芳", "GZ"),
	("段云", "YN"),
	("次仁多吉", "XZ"),
	("薛刚", "SN"),
	("牛晓军", "GS"),
	("祁海生", "QH"),
	("丁瑞", "NX"),
	("艾力", "XJ"),
)

# --- Customers -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Industry:
	key: str
	customer_group: str
	en: str
	industry_type: str
	"""ERPNext Industry Type (created if missing)."""
	weight: float
	credit_prefix: str
	"""Registration authority + organisation category of the unified social credit code: 91 enterprise,
	11 government body, 12 public institution."""


INDUSTRIES: tuple[Industry, ...] = (
	Industry("government", "政府", "Government", "Government", 18, "11"),
	Industry("finance", "金融", "Finance", "Financial Services", 14, "91"),
	Industry("education", "教育", "Education", "Education", 13, "12"),
	Industry("healthcare", "医疗", "Healthcare", "Health Care", 12, "12"),
	Industry("manufacturing", "制造", "Manufacturing", "Manufacturing", 18, "91"),
	Industry("internet", "互联网", "Internet", "Technology", 9, "91"),
	Industry("telecom", "电信", "Telecom", "Telecommunications", 8, "91"),
	Industry("energy", "能源", "Energy", "Energy", 8, "91"),
)
INDUSTRY_BY_KEY: dict[str, Industry] = {industry.key: industry for industry in INDUSTRIES}

# Brand names (字号) with their pinyin, for company names and e-mail domains.
BRANDS: tuple[tuple[str, str], ...] = (
	("华信", "huaxin"),
	("恒通", "hengtong"),
	("鼎新", "dingxin"),
	("瑞丰", "ruifeng"),
	("天成", "tiancheng"),
	("宏图", "hongtu"),
	("金桥", "jinqiao"),
	("明德", "mingde"),
	("远航", "yuanhang"),
	("启明", "qiming"),
	("博远", "boyuan"),
	("盛达", "shengda"),
	("安泰", "antai"),
	("永信", "yongxin"),
	("嘉禾", "jiahe"),
	("正元", "zhengyuan"),
	("润泽", "runze"),
	("海川", "haichuan"),
	("新锐", "xinrui"),
	("卓越", "zhuoyue"),
	("合力", "heli"),
	("同创", "tongchuang"),
	("博华", "bohua"),
	("锦程", "jincheng"),
	("富源", "fuyuan"),
	("万通", "wantong"),
	("中联", "zhonglian"),
	("汇通", "huitong"),
	("信达", "xinda"),
	("华创", "huachuang"),
	("智远", "zhiyuan"),
	("睿思", "ruisi"),
	("致远", "zhiyuan"),
	("弘毅", "hongyi"),
	("天润", "tianrun"),
	("恒昌", "hengchang"),
	("鸿运", "hongyun"),
	("星辰", "xingchen"),
	("蓝海", "lanhai"),
	("银河", "yinhe"),
	("泰和", "taihe"),
	("鑫源", "xinyuan"),
	("德润", "derun"),
	("长青", "changqing"),
	("昊天", "haotian"),
	("骏达", "junda"),
	("凯旋", "kaixuan"),
	("宇通", "yutong"),
	("广源", "guangyuan"),
	("诚信", "chengxin"),
	("国泰", "guotai"),
	("华瑞", "huarui"),
	("久安", "jiuan"),
	("顺达", "shunda"),
	("佳和", "jiahe"),
	("建业", "jianye"),
	("兴业", "xingye"),
	("和信", "hexin"),
	("联创", "lianchuang"),
	("华夏", "huaxia"),
	("中天", "zhongtian"),
	("中恒", "zhongheng"),
	("九州", "jiuzhou"),
	("晨光", "chenguang"),
	("云帆", "yunfan"),
	("数联", "shulian"),
	("博通", "botong"),
	("金诚", "jincheng"),
	("新元", "xinyuan"),
	("东华", "donghua"),
)

# Name patterns per industry. Placeholders: {city} (city, without 市), {prov} (province short name),
# {provfull} (official province name), {brand}, {n} (Chinese numeral 一..六).
CITY_AGENCIES: tuple[str, ...] = (
	"公安局",
	"财政局",
	"教育局",
	"大数据管理局",
	"政务服务数据管理局",
	"交通运输局",
	"自然资源和规划局",
	"人力资源和社会保障局",
	"市场监督管理局",
	"住房和城乡建设局",
	"生态环境局",
	"统计局",
	"应急管理局",
	"卫生健康委员会",
	"医疗保障局",
	"审计局",
	"水务局",
	"发展和改革委员会",
	"工业和信息化局",
	"气象局",
)
PROVINCE_AGENCIES: tuple[str, ...] = (
	"公安厅",
	"财政厅",
	"教育厅",
	"交通运输厅",
	"自然资源厅",
	"人力资源和社会保障厅",
	"住房和城乡建设厅",
	"生态环境厅",
	"应急管理厅",
	"审计厅",
	"水利厅",
	"工业和信息化厅",
	"政务服务和大数据管理局",
)

NAME_PATTERNS: dict[str, tuple[str, ...]] = {
	"government": ("{city}市{agency}", "{provfull}{pagency}"),
	"finance": (
		"{city}{brand}农村商业银行股份有限公司",
		"{brand}银行股份有限公司{city}分行",
		"{brand}证券股份有限公司{city}分公司",
		"{brand}人寿保险股份有限公司{prov}分公司",
		"{city}{brand}金融控股集团有限公司",
		"{brand}财产保险股份有限公司{city}中心支公司",
	),
	"education": (
		"{city}职业技术学院",
		"{city}大学",
		"{prov}师范大学",
		"{prov}理工大学",
		"{city}市第{n}中学",
		"{prov}科技职业学院",
		"{city}学院",
		"{prov}农业大学",
		"{prov}医科大学",
		"{city}外国语学校",
	),
	"healthcare": (
		"{city}市第{n}人民医院",
		"{city}市中医院",
		"{city}市妇幼保健院",
		"{provfull}人民医院",
		"{provfull}肿瘤医院",
		"{city}市疾病预防控制中心",
		"{provfull}中医院",
		"{city}市儿童医院",
	),
	"manufacturing": ("{city}{brand}{product}有限公司",),
	"internet": (
		"{city}{brand}网络科技有限公司",
		"{city}{brand}信息技术有限公司",
		"{city}{brand}云计算有限公司",
		"{city}{brand}数据科技有限公司",
		"{city}{brand}软件股份有限公司",
		"{city}{brand}电子商务有限公司",
	),
	"telecom": (
		"{city}{brand}通信技术有限公司",
		"{prov}{brand}广电网络股份有限公司",
		"{city}{brand}数据中心有限公司",
		"{city}{brand}信息通信工程有限公司",
	),
	"energy": (
		"{prov}{brand}电力有限公司",
		"{city}{brand}能源集团有限公司",
		"{city}{brand}新能源科技有限公司",
		"{city}{brand}燃气股份有限公司",
		"{prov}{brand}石化有限公司",
	),
}
# When a province runs out of names for an industry (above scale 1), further customers are branches,
# campuses or centres of a taken name: industry -> suffixes, tried in order.
BRANCH_SUFFIXES: dict[str, tuple[str, ...]] = {
	"government": ("信息中心", "数据管理中心", "后勤服务中心", "培训中心", "档案馆"),
	"healthcare": ("东院区", "西院区", "南院区", "北院区", "国际医疗部"),
	"education": ("东校区", "西校区", "南校区", "北校区", "继续教育学院"),
	"default": ("第一分公司", "第二分公司", "第三分公司", "研发中心", "运营中心"),
}
MANUFACTURING_PRODUCTS: tuple[str, ...] = (
	"精密机械",
	"汽车零部件",
	"电子科技",
	"新材料",
	"电气",
	"重工",
	"化工",
	"制药",
	"纺织",
	"食品",
	"家电",
	"光电",
	"智能装备",
	"半导体",
)
CHINESE_NUMERALS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六")

# Contact people: surname -> pinyin; given-name characters -> pinyin.
SURNAMES: tuple[tuple[str, str], ...] = (
	("王", "wang"),
	("李", "li"),
	("张", "zhang"),
	("刘", "liu"),
	("陈", "chen"),
	("杨", "yang"),
	("黄", "huang"),
	("赵", "zhao"),
	("吴", "wu"),
	("周", "zhou"),
	("徐", "xu"),
	("孙", "sun"),
	("马", "ma"),
	("朱", "zhu"),
	("胡", "hu"),
	("郭", "guo"),
	("何", "he"),
	("高", "gao"),
	("林", "lin"),
	("罗", "luo"),
	("郑", "zheng"),
	("梁", "liang"),
	("谢", "xie"),
	("宋", "song"),
	("唐", "tang"),
	("许", "xu"),
	("韩", "han"),
	("冯", "feng"),
	("邓", "deng"),
	("曹", "cao"),
	("彭", "peng"),
	("曾", "zeng"),
	("肖", "xiao"),
	("田", "tian"),
	("董", "dong"),
	("潘", "pan"),
	("袁", "yuan"),
	("蒋", "jiang"),
	("蔡", "cai"),
	("余", "yu"),
	("杜", "du"),
	("叶", "ye"),
	("程", "cheng"),
	("魏", "wei"),
	("苏", "su"),
	("吕", "lv"),
	("丁", "ding"),
	("沈", "shen"),
	("姚", "yao"),
	("卢", "lu"),
)
GIVEN_CHARS: tuple[tuple[str, str], ...] = (
	("伟", "wei"),
	("芳", "fang"),
	("娜", "na"),
	("敏", "min"),
	("静", "jing"),
	("丽", "li"),
	("强", "qiang"),
	("磊", "lei"),
	("军", "jun"),
	("洋", "yang"),
	("勇", "yong"),
	("艳", "yan"),
	("杰", "jie"),
	("涛", "tao"),
	("明", "ming"),
	("超", "chao"),
	("秀", "xiu"),
	("霞", "xia"),
	("平", "ping"),
	("刚", "gang"),
	("桂", "gui"),
	("华", "hua"),
	("建", "jian"),
	("国", "guo"),
	("文", "wen"),
	("辉", "hui"),
	("玲", "ling"),
	("鹏", "peng"),
	("飞", "fei"),
	("宇", "yu"),
	("浩", "hao"),
	("凯", "kai"),
	("婷", "ting"),
	("雪", "xue"),
	("琳", "lin"),
	("晨", "chen"),
	("峰", "feng"),
	("斌", "bin"),
	("志", "zhi"),
	("海", "hai"),
	("春", "chun"),
	("红", "hong"),
	("新", "xin"),
	("亮", "liang"),
	("俊", "jun"),
	("博", "bo"),
)
DESIGNATIONS: dict[str, tuple[str, ...]] = {
	"government": ("信息中心主任", "信息科科长", "网络安全处处长", "信息中心工程师"),
	"education": ("网络信息中心主任", "信息化办公室主任", "网络中心工程师"),
	"healthcare": ("信息科主任", "信息中心主任", "系统工程师"),
	"default": ("IT总监", "信息部经理", "采购经理", "首席信息官 CIO", "运维主管", "基础架构经理"),
}
ROADS: tuple[str, ...] = (
	"人民路",
	"中山路",
	"解放路",
	"建设路",
	"科技路",
	"高新大道",
	"长江路",
	"黄河路",
	"和平路",
	"新华路",
	"文化路",
	"迎宾大道",
	"世纪大道",
	"创新路",
	"金融街",
	"滨江路",
)
BUILDINGS: tuple[str, ...] = ("科技大厦", "国际中心", "金融中心", "创业园", "软件园", "商务中心", "广场")
MOBILE_PREFIXES: tuple[str, ...] = (
	"130",
	"131",
	"132",
	"133",
	"135",
	"136",
	"137",
	"138",
	"139",
	"150",
	"151",
	"152",
	"153",
	"155",
	"156",
	"158",
	"159",
	"177",
	"180",
	"181",
	"186",
	"187",
	"188",
	"189",
)

# Completeness rules the demo creates when a site has none (customer-intelligence module):
# (rule name, weight, rule type, fieldname, min count)
COMPLETENESS_RULE_DOCTYPE = "Customer Completeness Rule"
COMPLETENESS_RULES: tuple[tuple[str, float, str, str | None, int], ...] = (
	("统一社会信用代码 Credit code", 20, "Customer Field", "tax_id", 1),
	("负责销售 Sales person", 10, "Customer Field", "sr_sales_person", 1),
	("行业 Industry", 10, "Customer Field", "industry", 1),
	("联系人邮箱 Contact e-mail", 20, "Primary Contact Field", "email_id", 1),
	("联系人手机 Contact mobile", 20, "Primary Contact Field", "mobile_no", 1),
	("地址 Address", 20, "Address Count", None, 1),
)

# --- Products ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemGroupDef:
	key: str
	name: str
	zh: str
	is_stock: bool


ITEM_GROUPS: tuple[ItemGroupDef, ...] = (
	ItemGroupDef("servers", "Servers", "服务器", True),
	ItemGroupDef("storage", "Storage", "存储", True),
	ItemGroupDef("networking", "Networking", "网络", True),
	ItemGroupDef("services", "Services", "服务", False),
)


@dataclass(frozen=True)
class ItemDef:
	code: str
	name: str
	en: str
	group: str
	price: float
	"""Standard Selling list price in CNY, before VAT."""
	uom: str = "Nos"
	qty: tuple[int, int] = (1, 4)
	"""Typical quantity range of one order line."""


ITEMS: tuple[ItemDef, ...] = (
	ItemDef(
		"SRV-R1200", "S-R1200 1U双路机架服务器", "1U dual-socket rack server", "servers", 32000, qty=(2, 20)
	),
	ItemDef(
		"SRV-R2200", "S-R2200 2U双路机架服务器", "2U dual-socket rack server", "servers", 48000, qty=(2, 24)
	),
	ItemDef("SRV-R4900", "S-R4900 4U四路服务器", "4U quad-socket server", "servers", 165000, qty=(1, 8)),
	ItemDef("SRV-T1100", "S-T1100 塔式服务器", "Tower server", "servers", 18000, qty=(1, 6)),
	ItemDef(
		"SRV-G5500", "S-G5500 GPU人工智能训练服务器", "GPU AI training server", "servers", 680000, qty=(1, 4)
	),
	ItemDef("SRV-B7000", "S-B7000 刀片服务器机箱", "Blade server chassis", "servers", 210000, qty=(1, 4)),
	ItemDef(
		"SRV-X2800",
		"S-X2800 高密度多节点服务器",
		"High-density multi-node server",
		"servers",
		260000,
		qty=(1, 6),
	),
	ItemDef("STO-2200", "SS-2200 入门级SAN存储", "Entry-level SAN storage", "storage", 85000, qty=(1, 3)),
	ItemDef("STO-5300", "SS-5300 中端统一存储", "Mid-range unified storage", "storage", 260000, qty=(1, 3)),
	ItemDef(
		"STO-6800", "SS-6800 高端全闪存存储", "High-end all-flash storage", "storage", 1250000, qty=(1, 2)
	),
	ItemDef("STO-N800", "SS-N800 分布式存储节点", "Distributed storage node", "storage", 120000, qty=(3, 12)),
	ItemDef("STO-B900", "SS-B900 备份一体机", "Backup appliance", "storage", 150000, qty=(1, 2)),
	ItemDef("STO-T100", "SS-T100 磁带库", "Tape library", "storage", 220000, qty=(1, 1)),
	ItemDef(
		"NET-S5700",
		"SN-S5700 48口千兆接入交换机",
		"48-port GbE access switch",
		"networking",
		9800,
		qty=(4, 60),
	),
	ItemDef(
		"NET-S6800",
		"SN-S6800 万兆数据中心交换机",
		"10GbE data-centre switch",
		"networking",
		68000,
		qty=(2, 12),
	),
	ItemDef("NET-S12700", "SN-S12700 核心交换机", "Core switch", "networking", 420000, qty=(1, 2)),
	ItemDef("NET-AR6000", "SN-AR6000 企业路由器", "Enterprise router", "networking", 36000, qty=(1, 6)),
	ItemDef(
		"NET-USG6000", "SN-USG6000 下一代防火墙", "Next-generation firewall", "networking", 88000, qty=(1, 4)
	),
	ItemDef(
		"NET-AP7000", "SN-AP7000 企业级无线AP", "Enterprise wireless AP", "networking", 2600, qty=(10, 120)
	),
	ItemDef("NET-AC6000", "SN-AC6000 无线控制器", "Wireless controller", "networking", 45000, qty=(1, 2)),
	ItemDef("SVC-INST", "安装部署服务", "Installation and deployment service", "services", 15000, qty=(1, 3)),
	ItemDef("SVC-MA1Y", "原厂维保服务(1年)", "Vendor maintenance, 1 year", "services", 28000, qty=(1, 3)),
	ItemDef("SVC-MA3Y", "原厂维保服务(3年)", "Vendor maintenance, 3 years", "services", 72000, qty=(1, 3)),
	ItemDef(
		"SVC-CONS", "数据中心咨询规划", "Data-centre consulting and planning", "services", 120000, qty=(1, 1)
	),
	ItemDef("SVC-MIG", "数据迁移服务", "Data migration service", "services", 60000, qty=(1, 2)),
	ItemDef(
		"SVC-TRN", "技术培训服务(人天)", "Technical training (person-day)", "services", 3500, "Day", (2, 10)
	),
	ItemDef("SVC-RES", "驻场运维服务(月)", "On-site operations (month)", "services", 25000, qty=(3, 12)),
)
ITEM_BY_CODE: dict[str, ItemDef] = {item.code: item for item in ITEMS}
VAT_RATE = 13.0
VAT_TITLE = "VAT 13%"
VAT_DESCRIPTION = "增值税 VAT 13%"

# --- Sales funnel --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageDef:
	name: str
	en: str
	order: int
	probability: float
	exit_criteria: str


SALES_STAGES: tuple[StageDef, ...] = (
	StageDef(
		"初步接洽",
		"Prospecting",
		1,
		10,
		"确认客户有明确的IT项目意向 / Customer confirms a concrete IT project.",
	),
	StageDef(
		"需求分析",
		"Needs Analysis",
		2,
		25,
		"完成需求调研并确认预算与决策人 / Needs, budget and decision maker known.",
	),
	StageDef(
		"方案报价", "Proposal", 3, 50, "方案和报价已提交客户 / Solution and quotation handed to the customer."
	),
	StageDef(
		"商务谈判", "Negotiation", 4, 75, "商务条款基本达成一致 / Commercial terms agreed in principle."
	),
	StageDef("签约", "Closing", 5, 90, "合同已签署 / Contract signed."),
)
STAGE_BY_ORDER: dict[int, StageDef] = {stage.order: stage for stage in SALES_STAGES}

LOST_REASONS: tuple[str, ...] = (
	"价格过高 Price too high",
	"选择了竞争对手 Chose a competitor",
	"预算取消 Budget cancelled",
	"项目延期 Project postponed",
	"技术方案不满足 Solution did not fit",
	"客户关系不足 Weak customer relationship",
)
COMPETITORS: tuple[str, ...] = ("华为", "新华三", "浪潮", "联想", "戴尔", "中科曙光")

# --- The demo's cast ------------------------------------------------------------------------------------
# The people the demo users log in as (demo/users.py) and around whom the demo's story is told (the
# sales team, channel and telesales at work: demo/field.py, demo/channel.py).

DEMO_REP = "梁志勇"
"""Key-account rep of 广东: manager of that territory and account manager of its dealer."""
DEMO_TEAM_MANAGER = "黄文斌"
"""South China's regional manager, DEMO_REP's manager."""
DEMO_DEPARTING_REP = "何晓明"
"""广东's other rep, who has left the company; part of his book is handed over to DEMO_REP."""
DEMO_AGENT = "SH"
"""上海申联, the general agent that supplies South China's provincial dealers."""
DEMO_DEALER = "D-GD"
"""广州粤海, the provincial dealer of 广东, supplied by DEMO_AGENT."""
DEMO_DEALERS: tuple[str, ...] = (DEMO_AGENT, DEMO_DEALER)
DEMO_USER_DOMAIN = "s-company.example"
"""Mail domain of the demo's desk users (`.example` is reserved: no mail ever reaches anybody)."""
