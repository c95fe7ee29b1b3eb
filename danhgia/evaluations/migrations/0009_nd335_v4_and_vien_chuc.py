"""Ship Nghị định 335/2025 version 4 (version 3 with the annual forms of its regime) and the
rulebook of viên chức "VC-2025" (Luật Viên chức 2025, Art. 26; Nghị định 90/2020 as amended by
48/2023 where it still applies), for the rulebook per unit and staff category
(docs/decisions.md). The data is a frozen copy of `danhgia.evaluations.shipped` as of this
migration (migrations never import app code); an existing row is left alone, reversing keeps
them (they may be in use).
"""

import datetime

from django.db import migrations
from django.utils import timezone

RULEBOOKS = [{'code': 'ND335-2025',
  'version': 4,
  'name': 'Nghị định 335/2025/NĐ-CP (công chức)',
  'legal_source': 'Nghị định số 335/2025/NĐ-CP của Chính phủ, áp dụng từ 01/01/2026',
  'applies_from': datetime.date(2026, 1, 1),
  'local_defaults': False,
  'criteria': {'items': [{'code': 'ethics',
                          'name': 'Chính trị, tư tưởng, đạo đức, lối sống, văn hóa công vụ, kỷ '
                                  'luật, kỷ cương',
                          'max_points': 10},
                         {'code': 'competence',
                          'name': 'Năng lực chuyên môn, trách nhiệm, thái độ phục vụ Nhân dân, '
                                  'doanh nghiệp, phối hợp',
                          'max_points': 10},
                         {'code': 'innovation',
                          'name': 'Đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm',
                          'max_points': 10}],
               'note': 'Tổng 30 điểm theo Nghị định; cách chia 10/10/10 giữa các tiêu chí là lựa '
                       'chọn của địa phương [L], trung ương không quy định.',
               'sources': {'items': 'Nghị định 335/2025/NĐ-CP, Điều 12 khoản 2 điểm a, b, c (ba '
                                    'nhóm tiêu chí chung)',
                           'items.max_points': '[L] Nghị định chỉ quy định tổng 30 điểm (Điều 12 '
                                               'khoản 2); chia đều 10/10/10 là lựa chọn của địa '
                                               'phương.'}},
  'task_scoring': {'strategy': 'nd335_abc',
                   'params': {'general_share': 30,
                              'task_share': 70,
                              'weights': {'a': 1, 'b': 1, 'c': 1},
                              'error_deduction': '0.25',
                              'delay_deduction': '0.25',
                              'cap_pct': 100,
                              'unassessed_meets_quality': True,
                              'no_tasks': 'zero',
                              'rounding': 'half_up',
                              'leader': {'weights': {'own': 1, 'd': 1, 'dd': 1, 'e': 1},
                                         'd_full_pct': 100,
                                         'd_reduced_pct': 50,
                                         'e_default_pct': 100,
                                         'dd': {'assessed_by': 'reviewer',
                                                'values': [100, 50],
                                                'until_assessed': 100},
                                         'e': {'assessed_by': 'reviewer',
                                               'values': [100, 50],
                                               'until_assessed': 100}}},
                   'note': 'Phiên bản 2: d tính theo mức xếp loại cuối cùng của công chức thuộc '
                           'quyền, đ và e do người nhận xét phiếu của lãnh đạo đánh giá (100% hoặc '
                           '50%), điểm tính bằng một phép chia từ số liệu chính xác.',
                   'sources': {'strategy': 'Nghị định 335/2025/NĐ-CP, Điều 14 khoản 2 (a, b, c) và '
                                           'Điều 15 khoản 3 (lãnh đạo: d, đ, e)',
                               'params.general_share': 'Nghị định 335/2025/NĐ-CP, Điều 12 khoản 2 '
                                                       '(tiêu chí chung tối đa 30 điểm)',
                               'params.task_share': 'Nghị định 335/2025/NĐ-CP, Điều 12 khoản 3 '
                                                    '(kết quả thực hiện nhiệm vụ tối đa 70 điểm)',
                               'params.weights': '[L] Nghị định in cách kết hợp a, b, c dưới dạng '
                                                 'hình ảnh; dùng trung bình cộng (a + b + c) / 3 '
                                                 'như nhiều nơi áp dụng, cần rà soát pháp lý '
                                                 '(docs/decisions.md).',
                               'params.error_deduction': 'Nghị định 335/2025/NĐ-CP, Điều 14 khoản '
                                                         '2 điểm b (mỗi lần sai sót lớn trừ 25% '
                                                         'điểm chất lượng của sản phẩm)',
                               'params.delay_deduction': 'Nghị định 335/2025/NĐ-CP, Điều 14 khoản '
                                                         '2 điểm c (mỗi lần chậm trừ 25% điểm tiến '
                                                         'độ của sản phẩm)',
                               'params.cap_pct': '[L] Tỷ lệ nhiệm vụ tối đa 100% (70 điểm), theo '
                                                 'thang điểm 100 của Điều 12.',
                               'params.unassessed_meets_quality': '[L] Sản phẩm chưa được đánh giá '
                                                                  'chất lượng tạm coi là đạt; '
                                                                  'phiếu ghi rõ dòng nào chưa được '
                                                                  'đánh giá.',
                               'params.no_tasks': '[L] Nghị định không quy định tháng không được '
                                                  'giao sản phẩm: a, b, c tính 0%; phiếu và trang '
                                                  'quyết định ghi rõ lý do để người quyết định xem '
                                                  'xét.',
                               'params.rounding': '[L] Tỷ lệ làm tròn 3 chữ số thập phân, điểm 2 '
                                                  'chữ số, từ giá trị chính xác (một phép chia), 5 '
                                                  'làm tròn lên.',
                               'params.leader.weights': '[L] Điểm nhiệm vụ của lãnh đạo là trung '
                                                        'bình cộng của kết quả nhiệm vụ riêng, d, '
                                                        'đ, e.',
                               'params.leader.d_full_pct': 'Nghị định 335/2025/NĐ-CP, Điều 15 '
                                                           'khoản 3 điểm a (100% công chức thuộc '
                                                           'quyền từ mức hoàn thành nhiệm vụ trở '
                                                           'lên)',
                               'params.leader.d_reduced_pct': 'Nghị định 335/2025/NĐ-CP, Điều 15 '
                                                              'khoản 3 điểm a (có công chức thuộc '
                                                              'quyền không hoàn thành nhiệm vụ: '
                                                              '50%)',
                               'params.leader.e_default_pct': '[L] Chỉ dùng cho phiên bản 1; phiên '
                                                              'bản 2 dùng leader.e.',
                               'params.leader.dd': 'Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm '
                                                   'b (khả năng tổ chức triển khai thực hiện nhiệm '
                                                   'vụ: 100% khi đơn vị hoàn thành toàn bộ nhiệm '
                                                   'vụ theo kế hoạch, đúng tiến độ, bảo đảm chất '
                                                   'lượng; mức còn lại 50%). [L] Người đánh giá là '
                                                   'người nhận xét phiếu; tạm tính 100% cho đến '
                                                   'khi được đánh giá.',
                               'params.leader.e': 'Nghị định 335/2025/NĐ-CP, Điều 15 khoản 3 điểm '
                                                  'c (khả năng tập hợp, đoàn kết công chức). [L] '
                                                  'Giá trị 100%/50% và người đánh giá là người '
                                                  'nhận xét phiếu; tạm tính 100% cho đến khi được '
                                                  'đánh giá.'}},
  'levels': {'items': [{'code': 'excellent',
                        'name': 'Hoàn thành xuất sắc nhiệm vụ',
                        'min_score': 90},
                       {'code': 'good', 'name': 'Hoàn thành tốt nhiệm vụ', 'min_score': 70},
                       {'code': 'completed', 'name': 'Hoàn thành nhiệm vụ', 'min_score': 50},
                       {'code': 'not_completed',
                        'name': 'Không hoàn thành nhiệm vụ',
                        'min_score': 0}],
             'note': 'Ngưỡng 90/70/50 theo Nghị định 335/2025.',
             'may_raise_above_band': False,
             'sources': {'items': 'Nghị định 335/2025/NĐ-CP, Điều 20 khoản 1 đến 4 (ngưỡng 90, 70, '
                                  '50 điểm)',
                         'may_raise_above_band': 'Nghị định 335/2025/NĐ-CP, Điều 20 (mỗi mức xếp '
                                                 'loại được xác định theo điểm; người quyết định '
                                                 'chỉ được xếp thấp hơn)'}},
  'vetoes': {'enabled': ['discipline_reprimand_or_higher', 'degradation', 'corruption_in_led_unit'],
             'note': 'Theo Nghị định 335/2025.',
             'sources': {'enabled': 'Nghị định 335/2025/NĐ-CP, Điều 20 khoản 4 điểm b, c, d'}},
  'quota': {'share': '0.20',
            'base_level': 'good',
            'top_level': 'excellent',
            'scope': 'unit_and_group',
            'exception_share': '0.25',
            'exception_granted_by': 'decider',
            'rounding': 'down',
            'enforcement': 'exception_with_reason',
            'note': '20% số được xếp loại hoàn thành tốt, trong đơn vị và trong từng nhóm có nhiệm '
                    'vụ tương đồng. Lựa chọn địa phương [L]: ngoại lệ 25% cho đơn vị có thành tích '
                    'nổi bật, làm tròn xuống, cho phép ngoại lệ kèm lý do.',
            'sources': {'share': 'Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm a',
                        'base_level': 'Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm a',
                        'top_level': 'Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm a',
                        'scope': 'Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm a (cùng cơ quan, '
                                 'đơn vị và từng nhóm có nhiệm vụ tương đồng)',
                        'exception_share': 'Nghị định 335/2025/NĐ-CP, Điều 20 khoản 5 điểm b cho '
                                           'phép ngoại lệ với tổ chức có thành tích xuất sắc; [L] '
                                           'mức 25% là lựa chọn của địa phương.',
                        'exception_granted_by': '[L] Văn bản không rõ ai cho phép ngoại lệ: người '
                                                'quyết định xếp loại, kèm lý do '
                                                '(docs/decisions.md).',
                        'rounding': '[L] Nghị định không quy định làm tròn: làm tròn xuống và hiển '
                                    'thị.',
                        'enforcement': '[L] Vượt tỷ lệ chỉ được khi ghi lý do ngoại lệ.'}},
  'annual': {'strategy': 'average',
             'params': {'min_months_worked': 0,
                        'maternity_exempt': True,
                        'absent_cap_from_months': 0,
                        'absent_cap_level': 'completed',
                        'head_not_above_unit': False},
             'note': 'Điểm năm là trung bình các kỳ của thời gian công tác thực tế (Nghị định 335, '
                     'Điều 21); không có ngưỡng tháng tối thiểu hay giới hạn do vắng mặt: các quy '
                     'định đó thuộc Nghị định 90/2020 (bộ quy tắc ND90-2020).',
             'sources': {'strategy': 'Nghị định 335/2025/NĐ-CP, Điều 21 khoản 2 (trung bình điểm '
                                     'các tháng, quý của thời gian công tác thực tế)',
                         'params.min_months_worked': 'Nghị định 335/2025/NĐ-CP, Điều 21: xếp loại '
                                                     'trên thời gian công tác thực tế, không có số '
                                                     'tháng tối thiểu (0).',
                         'params.maternity_exempt': 'Nghị định 335/2025/NĐ-CP, Điều 21 (nghỉ ốm, '
                                                    'thai sản: xếp loại theo thời gian công tác '
                                                    'thực tế)',
                         'params.absent_cap_from_months': 'Nghị định 335/2025/NĐ-CP, Điều 21: '
                                                          'không giới hạn mức do vắng mặt (0); '
                                                          'giới hạn 3 tháng là của Nghị định '
                                                          '90/2020.',
                         'params.absent_cap_level': 'Nghị định 335/2025/NĐ-CP, Điều 21: không dùng '
                                                    '(absent_cap_from_months bằng 0).',
                         'params.head_not_above_unit': '[L] Hướng dẫn của Đảng năm 2019, chưa xác '
                                                       'nhận cho Nghị định 335: tắt.',
                         'forms': 'Nghị định 335/2025/NĐ-CP, Điều 1 và 2 (phạm vi: công chức) và '
                                  'Điều 21 (xếp loại năm). [L] Số hiệu mẫu phiếu trong phụ lục của '
                                  'Nghị định chưa được đối chiếu: không in số mẫu; cán bộ dùng '
                                  'phiếu cùng cách tính (cần rà soát pháp lý, docs/decisions.md).'},
             'forms': {'cong_chuc': {'code': '',
                                     'title': 'Phiếu đánh giá, xếp loại chất lượng công chức năm'},
                       'can_bo': {'code': '',
                                  'title': 'Phiếu đánh giá, xếp loại chất lượng cán bộ năm'}}},
  'deadlines': {'self_evaluation_days': 3,
                'review_days': 5,
                'decision_days': 7,
                'note': 'Số ngày sau ngày cuối kỳ; lựa chọn địa phương [L], không có quy định '
                        'chung.',
                'sources': {'self_evaluation_days': '[L] Không có quy định chung về ngày.',
                            'review_days': '[L] Không có quy định chung về ngày.',
                            'decision_days': '[L] Không có quy định chung về ngày.'}}},
 {'code': 'VC-2025',
  'version': 1,
  'name': 'Viên chức: Luật Viên chức 2025, Nghị định 90/2020 và 48/2023',
  'legal_source': 'Luật Viên chức năm 2025 (Điều 26); Nghị định số 90/2020/NĐ-CP sửa đổi bởi Nghị '
                  'định số 48/2023/NĐ-CP, phần còn áp dụng cho viên chức',
  'applies_from': datetime.date(2026, 1, 1),
  'local_defaults': False,
  'criteria': {'items': [{'code': 'ethics',
                          'name': 'Chính trị, tư tưởng, đạo đức, lối sống, văn hóa công vụ, kỷ '
                                  'luật, kỷ cương',
                          'max_points': 10},
                         {'code': 'competence',
                          'name': 'Năng lực chuyên môn, trách nhiệm, thái độ phục vụ Nhân dân, '
                                  'doanh nghiệp, phối hợp',
                          'max_points': 10},
                         {'code': 'innovation',
                          'name': 'Đổi mới, sáng tạo, dám nghĩ, dám làm, dám chịu trách nhiệm',
                          'max_points': 10}],
               'note': 'Luật Viên chức 2025, Điều 26 (đánh giá thường xuyên, dựa trên kết quả, sản '
                       'phẩm công việc) [L] Chưa đối chiếu nguyên văn Điều 26 Luật Viên chức 2025 '
                       '(hiệu lực 01/7/2026 theo báo chí; Chính phủ ban hành khung tiêu chí): cho '
                       'đến khi có văn bản hướng dẫn, áp dụng Nghị định 90/2020 sửa đổi bởi Nghị '
                       'định 48/2023 (docs/decisions.md). Cách chấm tháng (30 điểm tiêu chí chung, '
                       '70 điểm nhiệm vụ, a, b, c) là lựa chọn của địa phương [L], như bộ quy tắc '
                       'ND90-2020.',
               'sources': {'items': 'Luật Viên chức 2025, Điều 26 (đánh giá thường xuyên, dựa trên '
                                    'kết quả, sản phẩm công việc) [L] Chưa đối chiếu nguyên văn '
                                    'Điều 26 Luật Viên chức 2025 (hiệu lực 01/7/2026 theo báo chí; '
                                    'Chính phủ ban hành khung tiêu chí): cho đến khi có văn bản '
                                    'hướng dẫn, áp dụng Nghị định 90/2020 sửa đổi bởi Nghị định '
                                    '48/2023 (docs/decisions.md). Cách chấm tháng (30 điểm tiêu '
                                    'chí chung, 70 điểm nhiệm vụ, a, b, c) là lựa chọn của địa '
                                    'phương [L], như bộ quy tắc ND90-2020.'}},
  'task_scoring': {'strategy': 'nd335_abc',
                   'params': {'general_share': 30,
                              'task_share': 70,
                              'weights': {'a': 1, 'b': 1, 'c': 1},
                              'error_deduction': '0.25',
                              'delay_deduction': '0.25',
                              'cap_pct': 100,
                              'unassessed_meets_quality': True,
                              'no_tasks': 'zero',
                              'rounding': 'half_up',
                              'leader': {'weights': {'own': 1, 'd': 1, 'dd': 1, 'e': 1},
                                         'd_full_pct': 100,
                                         'd_reduced_pct': 50,
                                         'e_default_pct': 100,
                                         'dd': {'assessed_by': 'reviewer',
                                                'values': [100, 50],
                                                'until_assessed': 100},
                                         'e': {'assessed_by': 'reviewer',
                                               'values': [100, 50],
                                               'until_assessed': 100}}},
                   'note': 'Luật Viên chức 2025, Điều 26 (đánh giá thường xuyên, dựa trên kết quả, '
                           'sản phẩm công việc) [L] Chưa đối chiếu nguyên văn Điều 26 Luật Viên '
                           'chức 2025 (hiệu lực 01/7/2026 theo báo chí; Chính phủ ban hành khung '
                           'tiêu chí): cho đến khi có văn bản hướng dẫn, áp dụng Nghị định 90/2020 '
                           'sửa đổi bởi Nghị định 48/2023 (docs/decisions.md). Cách chấm tháng (30 '
                           'điểm tiêu chí chung, 70 điểm nhiệm vụ, a, b, c) là lựa chọn của địa '
                           'phương [L], như bộ quy tắc ND90-2020.',
                   'sources': {'strategy': 'Luật Viên chức 2025, Điều 26 (đánh giá thường xuyên, '
                                           'dựa trên kết quả, sản phẩm công việc) [L] Chưa đối '
                                           'chiếu nguyên văn Điều 26 Luật Viên chức 2025 (hiệu lực '
                                           '01/7/2026 theo báo chí; Chính phủ ban hành khung tiêu '
                                           'chí): cho đến khi có văn bản hướng dẫn, áp dụng Nghị '
                                           'định 90/2020 sửa đổi bởi Nghị định 48/2023 '
                                           '(docs/decisions.md). Cách chấm tháng (30 điểm tiêu chí '
                                           'chung, 70 điểm nhiệm vụ, a, b, c) là lựa chọn của địa '
                                           'phương [L], như bộ quy tắc ND90-2020.',
                               'params': 'Luật Viên chức 2025, Điều 26 (đánh giá thường xuyên, dựa '
                                         'trên kết quả, sản phẩm công việc) [L] Chưa đối chiếu '
                                         'nguyên văn Điều 26 Luật Viên chức 2025 (hiệu lực '
                                         '01/7/2026 theo báo chí; Chính phủ ban hành khung tiêu '
                                         'chí): cho đến khi có văn bản hướng dẫn, áp dụng Nghị '
                                         'định 90/2020 sửa đổi bởi Nghị định 48/2023 '
                                         '(docs/decisions.md). Cách chấm tháng (30 điểm tiêu chí '
                                         'chung, 70 điểm nhiệm vụ, a, b, c) là lựa chọn của địa '
                                         'phương [L], như bộ quy tắc ND90-2020.'}},
  'levels': {'items': [{'code': 'excellent',
                        'name': 'Hoàn thành xuất sắc nhiệm vụ',
                        'min_score': 90},
                       {'code': 'good', 'name': 'Hoàn thành tốt nhiệm vụ', 'min_score': 70},
                       {'code': 'completed', 'name': 'Hoàn thành nhiệm vụ', 'min_score': 50},
                       {'code': 'not_completed',
                        'name': 'Không hoàn thành nhiệm vụ',
                        'min_score': 0}],
             'note': 'Bốn mức xếp loại của viên chức; ngưỡng 90/70/50 của cách chấm tháng [L].',
             'may_raise_above_band': False,
             'sources': {'items': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP), '
                                  'Điều 2 khoản 2 (bốn mức xếp loại); [L] ngưỡng điểm 90/70/50 '
                                  'theo cách chấm tháng của địa phương.',
                         'may_raise_above_band': '[L] Mức xếp loại không cao hơn khung điểm, như '
                                                 'công chức cùng đơn vị (Nghị định 335, Điều 20); '
                                                 'mã mức giống nhau để tỷ lệ tính chung.'}},
  'vetoes': {'enabled': ['any_discipline', 'degradation', 'corruption_in_led_unit'],
             'note': 'Bị kỷ luật trong năm (Đảng hoặc hành chính) thì không hoàn thành nhiệm vụ '
                     '(Nghị định 48/2023).',
             'sources': {'enabled': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định '
                                    '48/2023/NĐ-CP), Điều 2 khoản 5 (sửa đổi bởi Nghị định '
                                    '48/2023, Điều 1): bị kỷ luật trong năm đánh giá thì không '
                                    'hoàn thành nhiệm vụ; Điều 7 và 11 (suy thoái; đơn vị phụ '
                                    'trách có tham nhũng)'}},
  'quota': {'share': '0.20',
            'base_level': 'good',
            'top_level': 'excellent',
            'scope': 'unit_and_group',
            'exception_share': '0.20',
            'exception_granted_by': 'decider',
            'rounding': 'down',
            'enforcement': 'block',
            'note': 'Tỷ lệ hoàn thành xuất sắc không quá 20% số hoàn thành tốt (quy định của Đảng '
                    'áp dụng kèm Nghị định 90).',
            'sources': {'share': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP), '
                                 'Điều 2 khoản 3 (không vượt tỷ lệ đảng viên hoàn thành xuất sắc) '
                                 'và quy định của Đảng (20% số hoàn thành tốt)',
                        'base_level': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định '
                                      '48/2023/NĐ-CP), Điều 2 khoản 3',
                        'top_level': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định '
                                     '48/2023/NĐ-CP), Điều 2 khoản 3',
                        'scope': '[L] Trong đơn vị và từng nhóm có nhiệm vụ tương đồng.',
                        'exception_share': '[L] Không có ngoại lệ: bằng tỷ lệ chung.',
                        'exception_granted_by': '[L] Không dùng (không có ngoại lệ).',
                        'rounding': '[L] Làm tròn xuống.',
                        'enforcement': '[L] Vượt tỷ lệ thì không được quyết định.'}},
  'annual': {'strategy': 'average',
             'params': {'min_months_worked': 6,
                        'maternity_exempt': True,
                        'absent_cap_from_months': 3,
                        'absent_cap_level': 'completed',
                        'head_not_above_unit': False},
             'note': 'Dưới 6 tháng công tác không xếp loại (trừ nghỉ thai sản); vắng 3 đến dưới 6 '
                     'tháng tối đa hoàn thành nhiệm vụ (Nghị định 90/2020).',
             'sources': {'strategy': '[L] Nghị định 90 xếp loại theo tiêu chí, không theo điểm '
                                     'tháng: điểm năm là trung bình các kỳ đã làm việc.',
                         'params.min_months_worked': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị '
                                                     'định 48/2023/NĐ-CP), Điều 2 khoản 4 (dưới 6 '
                                                     'tháng không xếp loại)',
                         'params.maternity_exempt': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị '
                                                    'định 48/2023/NĐ-CP), Điều 2 khoản 4 (trừ nghỉ '
                                                    'thai sản)',
                         'params.absent_cap_from_months': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi '
                                                          'Nghị định 48/2023/NĐ-CP), Điều 2 khoản '
                                                          '4 (vắng từ 3 đến dưới 6 tháng)',
                         'params.absent_cap_level': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị '
                                                    'định 48/2023/NĐ-CP), Điều 2 khoản 4 (không '
                                                    'xếp từ hoàn thành tốt trở lên)',
                         'params.head_not_above_unit': '[L] Hướng dẫn của Đảng năm 2019, không '
                                                       'thuộc Nghị định 90: tắt, bật khi địa '
                                                       'phương áp dụng.',
                         'forms': 'Nghị định 90/2020/NĐ-CP (sửa đổi bởi Nghị định 48/2023/NĐ-CP), '
                                  'Mẫu số 03 (viên chức). [L] Người lao động dùng mẫu của viên '
                                  'chức; mẫu theo Luật Viên chức 2025 chưa được ban hành.'},
             'forms': {'vien_chuc': {'code': '03',
                                     'title': 'Phiếu đánh giá, xếp loại chất lượng viên chức'},
                       'nguoi_lao_dong': {'code': '03',
                                          'title': 'Phiếu đánh giá, xếp loại chất lượng viên '
                                                   'chức'}}},
  'deadlines': {'self_evaluation_days': 5,
                'review_days': 7,
                'decision_days': 10,
                'note': '[L] Không có quy định chung về ngày.',
                'sources': {'self_evaluation_days': '[L] Không có quy định chung về ngày.',
                            'review_days': '[L] Không có quy định chung về ngày.',
                            'decision_days': '[L] Không có quy định chung về ngày.'}}}]


def create_rulebooks(apps, schema_editor):
    Rulebook = apps.get_model("evaluations", "Rulebook")
    for data in RULEBOOKS:
        if not Rulebook.objects.filter(code=data["code"], version=data["version"]).exists():
            Rulebook.objects.create(**data, created_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0008_category_rulebook"),
    ]

    operations = [
        migrations.RunPython(create_rulebooks, migrations.RunPython.noop),
    ]
